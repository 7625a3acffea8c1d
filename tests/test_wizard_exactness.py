"""The facet-index engine returns exactly what the straightforward SQL oracle returns."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from catalog import versioning
from catalog.facet_index import get_index
from catalog.models import (
    CommercialUse,
    LicenceClass,
    Period,
    PricingModel,
    PricingPlan,
    Tool,
    Training,
)
from catalog.wizard import engine
from catalog.wizard.answers import choices_from_index
from catalog.wizard.explain import broken_must_haves
from catalog.wizard.forms import read_answers
from tests import wizard_oracle as oracle
from tests.factories import PricingPlanFactory, ToolFactory, VendorFactory
from tests.wizard_catalogue import INTEGRATIONS, PROJECT_SLUGS, WAYS, query_pairs, to_querydict

# ---------------------------------------------------------------------------
# Exactness: the facet-index engine equals the straightforward one
# ---------------------------------------------------------------------------
# Few modalities, so answers and tools meet often enough to rank something.
FEW_MODALITIES = ["text", "image", "audio", "video"]
FAMILY_SLUGS = ["llm", "transformer", "diffusion", "gan", "vae", "other"]
PLATFORM_SLUGS = ["web", "api", "self-hosted", "linux", *INTEGRATIONS]
# Names that tie once case is ignored, so the tie-break by name is exercised.
TOOL_NAMES = ["Alpha", "alpha", "ALPHA", "Beta", "beta", "Gamma", "delta", "Delta"]
CEILINGS = st.sampled_from([0, 10, 20, 60])


def price_in_cents():
    """Prices on, just under and just over the monthly ceilings the answers use (0-60 a
    month, or twelve times that a year), so the "at most" boundary is exercised."""
    units = CEILINGS.flatmap(lambda n: st.sampled_from([n, n * 12]))
    return st.builds(lambda u, d: max(0, u * 100 + d), units, st.sampled_from([0, 0, -1, 1]))


def _subset(options: list[str], size: int, *, min_size: int = 0):
    return st.lists(st.sampled_from(options), min_size=min_size, max_size=size, unique=True)


random_tool = st.fixed_dictionaries(
    {
        "name": st.sampled_from(TOOL_NAMES),
        "status": st.sampled_from([*Tool.Status.values, *[Tool.Status.PUBLISHED] * 3]),
        "pricing_model": st.sampled_from(PricingModel.values),
        "has_free_tier": st.booleans(),
        "starting_price": st.one_of(st.none(), price_in_cents()),
        "price_period": st.sampled_from(["", *Period.values]),
        "licence_class": st.sampled_from(LicenceClass.values),
        "commercial_use": st.sampled_from(CommercialUse.values),
        "trains_on_user_data": st.sampled_from(Training.values),
        "ip_indemnity": st.sampled_from(Tool.Indemnity.values),
        "has_public_api": st.booleans(),
        "output_modalities": _subset(FEW_MODALITIES, 3, min_size=1),
        "input_modalities": _subset(FEW_MODALITIES, 2),
        "families": _subset(FAMILY_SLUGS, 2),
        "use_cases": _subset(PROJECT_SLUGS, 3),
        "interactions": _subset(WAYS, 2),
        "platforms": _subset(PLATFORM_SLUGS, 3),
        "plans": st.lists(
            st.tuples(
                st.sampled_from([0, 0, None, 10]),
                st.sampled_from([CommercialUse.NOT_ALLOWED, "", CommercialUse.ALLOWED]),
            ),
            max_size=2,
        ),
    }
)
RELATIONS = ("output_modalities", "input_modalities", "families", "use_cases", "interactions",
             "platforms")  # fmt: skip


@pytest.fixture
def taxonomy(db) -> dict[str, dict]:
    call_command(
        "loaddata", str(django_settings.BASE_DIR / "fixtures" / "taxonomy.json"), verbosity=0
    )
    return {
        relation: {t.slug: t for t in getattr(Tool, relation).field.related_model.objects.all()}
        for relation in RELATIONS
    }


COLUMNS = ("status", "pricing_model", "has_free_tier", "price_period", "licence_class",
           "commercial_use", "trains_on_user_data", "ip_indemnity", "has_public_api")  # fmt: skip


def random_tool_row(n: int, spec: dict, vendor) -> Tool:
    cents = spec["starting_price"]
    # The database refuses a free tool with a price and a period without one.
    if spec["pricing_model"] == "free":
        cents = None
    conditional = spec["commercial_use"] == CommercialUse.CONDITIONAL
    columns = {column: spec[column] for column in COLUMNS}
    if cents is None:
        columns["price_period"] = ""
    return ToolFactory.build(
        name=spec["name"],
        slug=f"tool-{n}",
        vendor=vendor,
        starting_price=None if cents is None else Decimal(cents) / 100,
        licence_spdx="MIT" if spec["licence_class"] == LicenceClass.OPEN_SOURCE else "",
        commercial_use_condition="on paid plans" if conditional else "",
        **columns,
    )


def build_random_catalogue(taxonomy: dict[str, dict], specs: list[dict]) -> None:
    Tool.objects.all().delete()
    vendor = VendorFactory(name="Random Vendor")
    Tool.objects.bulk_create(random_tool_row(n, spec, vendor) for n, spec in enumerate(specs))
    tools = sorted(Tool.objects.all(), key=lambda t: int(t.slug.removeprefix("tool-")))
    for relation in RELATIONS:
        through = getattr(Tool, relation).through
        target = getattr(Tool, relation).field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(tool_id=tool.pk, **{f"{target}_id": taxonomy[relation][slug].pk})
            for tool, spec in zip(tools, specs, strict=True)
            for slug in spec[relation]
        )
    PricingPlan.objects.bulk_create(
        PricingPlanFactory.build(
            tool=tool,
            name=f"Plan {i}",
            price=price,
            period="month" if price is not None else "",  # a period needs a price
            commercial_use=use,
        )
        for tool, spec in zip(tools, specs, strict=True)
        for i, (price, use) in enumerate(spec["plans"])
    )
    versioning.bump()


def outcome(result: engine.Recommendation) -> dict:
    def picks(ps):
        return [(p.tool.pk, p.fit, p.points, p.reasons, p.warnings) for p in ps]

    return {
        "verdict": result.verdict,
        "shortlist": picks(result.shortlist),
        "stages": [(s.title, picks(s.picks)) for s in result.stages],
        "matching": result.matching,
        "exclusions": result.exclusions,
    }


@settings(
    max_examples=int(os.environ.get("WIZARD_EXACTNESS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(random_tool, min_size=4, max_size=16),
    pairs=st.lists(query_pairs(CEILINGS, FEW_MODALITIES), min_size=1, max_size=4),
    sizes=st.sampled_from([(engine.SHORTLIST_SIZE, engine.STAGE_SIZE), (3, 1), (1, 2)]),
)
def test_the_index_engine_equals_the_straightforward_one(
    taxonomy, monkeypatch, specs, pairs, sizes
):
    # Short lists as well as the real ones, so picking the best few out of many
    # (and ties at the cut) is exercised on small catalogues.
    monkeypatch.setattr(engine, "SHORTLIST_SIZE", sizes[0])
    monkeypatch.setattr(engine, "STAGE_SIZE", sizes[1])
    build_random_catalogue(taxonomy, specs)
    index = get_index()
    choices = oracle.load_choices()
    assert choices_from_index(index) == choices
    for answer_pairs in pairs:
        answers = read_answers(to_querydict(answer_pairs), choices=choices)
        fast = engine.recommend(answers, choices=choices, index=index)
        slow = oracle.recommend_sql(answers, choices=choices)
        assert outcome(fast) == outcome(slow)
        for key, _phrase, _count in slow.exclusions.by_reason:
            event(f"left out for {key}")
        event(f"{len(slow.shortlist)} picks, {len(slow.stages)} stages")
        if len(slow.matching) > len(slow.shortlist):
            event("cut")
        # The left-out list: the same tools, breaking the same must-haves.
        left_out = engine.ExcludedTools(answers, index=index)
        listed = {
            t.pk: broken_must_haves(t, answers, left_out.masks, choices)
            for t in left_out[0 : len(left_out)]
        }
        keys = oracle.hard_constraints(answers)
        assert listed == {
            t.pk: broken_must_haves(t, answers, keys, choices)
            for t in oracle.excluded_tools(answers)
        }
