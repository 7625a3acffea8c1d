"""The demo catalogue in fixtures/ loads cleanly, twice, and holds what the brief promises."""

import json

import pytest
from django.apps import apps
from django.core.management import call_command

from catalog.fixture_loading import load_fixtures
from catalog.management.commands.load_demo_catalogue import FIXTURE_DIR
from catalog.models import LicenceClass, Modality, ModelFamily, Tool
from catalog.versioning import current_version
from tests.pages import card_slugs

pytestmark = pytest.mark.django_db

REQUIRED = [
    "ChatGPT",
    "Claude",
    "Gemini",
    "Llama",
    "DALL",
    "Stable Diffusion",
    "Midjourney",
    "MusicLM",
    "Suno",
    "NotebookLM",
    "Canva",
    "GitHub Copilot",
    "ElevenLabs",
    "Runway",
    "Synthesia",
    "DeepL",
    "Grammarly",
    "Perplexity",
    "Whisper",
]


@pytest.fixture
def demo(db):
    call_command("load_demo_catalogue", verbosity=0)


def test_every_object_passes_full_clean(demo):
    checked = 0
    for model in apps.get_app_config("catalog").get_models():
        for obj in model.objects.all():
            obj.full_clean()
            checked += 1
    assert checked > 300


def snapshot() -> dict:
    """Every row of every catalogue and editorial model, with all its values and relations."""
    rows = {}
    for label in ("catalog", "editorial"):
        for model in apps.get_app_config(label).get_models():
            for obj in model.objects.order_by("pk"):
                values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
                for m2m in model._meta.many_to_many:
                    values[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
                rows[(model._meta.label, obj.pk)] = values
    return rows


def test_loading_twice_changes_nothing(demo):
    before, stamp = snapshot(), current_version().stamp

    call_command("load_demo_catalogue", verbosity=0)

    assert snapshot() == before
    assert current_version().stamp == stamp


def test_fixtures_carry_no_dates_of_our_own_making():
    invented = {"created", "updated", "last_checked", "last_verified", "recorded_at"}
    for path in FIXTURE_DIR.glob("*.json"):
        for entry in json.loads(path.read_text()):
            assert not invented & set(entry["fields"]), (path.name, entry["fields"].get("slug"))


def test_a_changed_fact_is_saved_and_dates_the_change(demo, tmp_path):
    tool = Tool.objects.get(slug="chatgpt")
    entry = {"model": "catalog.tool", "fields": {"slug": "chatgpt", "pitch": "Changed."}}
    edited = tmp_path / "edit.json"
    edited.write_text(json.dumps([entry]))

    report = load_fixtures([edited])

    changed = Tool.objects.get(slug="chatgpt")
    assert (report.updated, changed.pitch, changed.created) == (1, "Changed.", tool.created)
    assert changed.updated > tool.updated


def test_it_has_at_least_80_tools_including_the_famous_ones(demo):
    assert Tool.objects.published().count() >= 80
    names = list(Tool.objects.values_list("name", flat=True))
    missing = [n for n in REQUIRED if not any(n.lower() in name.lower() for name in names)]
    assert missing == []


def test_every_modality_and_family_has_published_tools(demo):
    for modality in Modality.objects.all():
        assert modality.output_tools.filter(status="published").exists(), modality
    for family in ModelFamily.objects.all():
        assert family.tools.filter(status="published").exists(), family


def test_every_published_tool_is_sourced(demo):
    for tool in Tool.objects.published():
        assert tool.source_url, tool
        if tool.licence_class == LicenceClass.OPEN_SOURCE:
            assert tool.licence_spdx, tool


def test_a_free_image_generator_for_commercial_use_is_three_clicks_away(demo, client):
    response = client.get("/tools/", {"output": "image", "free": "1", "commercial": "allowed"})
    tools = list(Tool.objects.filter(slug__in=card_slugs(response)))
    assert len(tools) >= 3
    for tool in tools:
        assert tool.has_free_tier
        assert tool.commercial_use == "allowed"
        assert "image" in {m.slug for m in tool.output_modalities.all()}
