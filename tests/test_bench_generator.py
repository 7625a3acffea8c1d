"""The benchmark's generator: a valid synthetic catalogue, and it never touches real data."""

import pytest
from django.db import connection

from bench.generate import SLUG_PREFIX, BenchError, generate
from catalog.models import Modality, PricingPlan, Tool
from tests.factories import ToolFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# relation -> (fewest, most) per tool
SHAPES = {
    "input_modalities": (1, 3),
    "output_modalities": (1, 3),
    "use_cases": (1, 4),
    "families": (1, 2),
    "platforms": (0, 5),
    "interactions": (1, 3),
}


def schema() -> set[str]:
    """Every index and constraint of the catalogue's tables, as PostgreSQL prints them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'catalog%%' "
            "UNION ALL SELECT conname || pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text LIKE 'catalog%%'"
        )
        return {row[0] for row in cursor.fetchall()}


def test_generates_a_valid_catalogue_and_reuses_it():
    before = schema()
    meta = generate(50, seed=7, quiet=True)
    assert (meta["n"], meta["seed"], meta["reused"]) == (50, 7, False)
    # The bulk load drops and rebuilds indexes and foreign keys: all must be back.
    assert schema() == before
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check every deferred foreign key now
    assert Modality.objects.filter(slug="text").exists()  # the real taxonomy

    tools = list(Tool.objects.prefetch_related(*SHAPES, "plans"))
    assert len(tools) == 50
    for index, tool in enumerate(tools):
        assert tool.slug.startswith(SLUG_PREFIX)
        for relation, (fewest, most) in SHAPES.items():
            assert fewest <= len(getattr(tool, relation).all()) <= most, relation
        if index < 10:  # model validation costs a query per constraint: a sample is enough
            tool.full_clean()
            for plan in tool.plans.all():
                plan.full_clean()
    if any(f.name == "search_vector" for f in Tool._meta.get_fields()):
        # COPY sends no signals: the generator fills the stored search document itself.
        assert not Tool.objects.filter(search_vector__isnull=True).exists()
    assert sum(t.status == Tool.Status.PUBLISHED for t in tools) > 35
    assert PricingPlan.objects.values("tool").distinct().count() > 30

    assert generate(50, seed=7, quiet=True)["reused"] is True
    regenerated = generate(50, seed=8, quiet=True)
    assert regenerated["reused"] is False
    assert Tool.objects.count() == 50


def test_refuses_a_database_holding_real_tools():
    ToolFactory(name="Real tool", slug="real-tool")
    with pytest.raises(BenchError, match="refusing"):
        generate(50, seed=1, quiet=True)
    assert list(Tool.objects.values_list("slug", flat=True)) == ["real-tool"]
