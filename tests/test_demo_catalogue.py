"""The demo catalogue in fixtures/ loads cleanly, twice, and holds what the brief promises."""

import pytest
from django.apps import apps
from django.core.management import call_command

from catalog.models import LicenceClass, Modality, ModelFamily, Tool
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


def test_loading_twice_updates_instead_of_duplicating(demo):
    counts = {m: m.objects.count() for m in apps.get_app_config("catalog").get_models()}
    call_command("load_demo_catalogue", verbosity=0)
    assert counts == {m: m.objects.count() for m in apps.get_app_config("catalog").get_models()}


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


def test_every_published_tool_is_dated_and_sourced(demo):
    for tool in Tool.objects.published():
        assert tool.last_verified, tool
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
