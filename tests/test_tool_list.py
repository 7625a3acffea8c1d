"""The faceted catalogue at /tools/: filters, counts, sorting, pagination."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import LicenceClass, Tool
from tests.factories import (
    ModalityFactory,
    ModelFamilyFactory,
    PlatformFactory,
    ToolFactory,
    UseCaseFactory,
)
from tests.pages import card_names

pytestmark = pytest.mark.django_db

URL = reverse("catalog:tool_list")


@pytest.fixture
def text(db):
    return ModalityFactory(name="Text", slug="text")


@pytest.fixture
def image(db):
    return ModalityFactory(name="Image", slug="image")


@pytest.fixture
def audio(db):
    return ModalityFactory(name="Audio", slug="audio")


def names(response) -> list[str]:
    return card_names(response)


def facet(response, name: str) -> dict[str, int]:
    for view in response.context["browse"].facets:
        if view.facet.name == name:
            return {o.value: o.count for o in view.facet.options}
    raise AssertionError(f"no facet {name}")


def test_it_lists_published_tools_only(client, text):
    ToolFactory(name="Live")
    ToolFactory(name="Hidden draft", status=Tool.Status.DRAFT)
    ToolFactory(name="Gone", status=Tool.Status.DISCONTINUED)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Live"]


def test_discontinued_tools_stay_findable_by_search(client):
    ToolFactory(name="Oldgen", status=Tool.Status.DISCONTINUED)
    response = client.get(URL, {"q": "oldgen"})
    assert names(response) == ["Oldgen"]
    assert b"Discontinued" in response.content


def test_output_filter_narrows_to_tools_that_make_it(client, text, image):
    ToolFactory(name="Painter", input_modalities=[text], output_modalities=[image])
    ToolFactory(name="Writer", input_modalities=[text], output_modalities=[text])
    assert names(client.get(URL, {"output": "image"})) == ["Painter"]
    assert names(client.get(URL, {"input": "text"})) == ["Painter", "Writer"]


def test_values_within_a_facet_are_ored(client, text, image, audio):
    ToolFactory(name="Painter", output_modalities=[image])
    ToolFactory(name="Singer", output_modalities=[audio])
    ToolFactory(name="Writer", output_modalities=[text])
    response = client.get(URL, {"output": ["image", "audio"]})
    assert names(response) == ["Painter", "Singer"]


def test_different_facets_are_anded(client, image):
    ToolFactory(name="Free painter", output_modalities=[image], has_free_tier=True)
    ToolFactory(name="Paid painter", output_modalities=[image], has_free_tier=False)
    ToolFactory(name="Free other", has_free_tier=True)
    response = client.get(URL, {"output": "image", "free": "1"})
    assert names(response) == ["Free painter"]


def test_a_tool_with_two_matching_values_is_listed_once(client, image, audio):
    ToolFactory(name="Both", output_modalities=[image, audio])
    response = client.get(URL, {"output": ["image", "audio"]})
    assert names(response) == ["Both"]
    assert response.context["page_obj"].paginator.count == 1


@pytest.mark.parametrize(
    ("param", "value", "field", "match", "other"),
    [
        ("pricing", "free", "pricing_model", "free", "subscription"),
        ("commercial", "allowed", "commercial_use", "allowed", "not_allowed"),
        ("licence", "open_source", "licence_class", "open_source", "proprietary"),
        ("api", "1", "has_public_api", True, False),
        ("free", "1", "has_free_tier", True, False),
    ],
)
def test_each_column_filter_narrows_the_results(client, param, value, field, match, other):
    extra = {"licence_spdx": "MIT"}
    ToolFactory(name="Match", **{field: match}, **extra)
    ToolFactory(name="Other", **{field: other}, **extra)
    assert names(client.get(URL, {param: value})) == ["Match"]


@pytest.mark.parametrize(
    ("param", "factory", "relation"),
    [
        ("family", ModelFamilyFactory, "families"),
        ("use", UseCaseFactory, "use_cases"),
        ("platform", PlatformFactory, "platforms"),
    ],
)
def test_each_relation_filter_narrows_the_results(client, param, factory, relation):
    term = factory()
    ToolFactory(name="Match", **{relation: [term]})
    ToolFactory(name="Other")
    assert names(client.get(URL, {param: term.slug})) == ["Match"]


def test_vendor_filter_narrows_to_one_vendor(client):
    tool = ToolFactory(name="Mine")
    ToolFactory(name="Theirs")
    assert names(client.get(URL, {"vendor": tool.vendor.slug})) == ["Mine"]


def test_facet_counts_reflect_the_other_filters_but_not_their_own(client, text, image, audio):
    ToolFactory(output_modalities=[image], has_free_tier=True)
    ToolFactory(output_modalities=[image], has_free_tier=False)
    ToolFactory(output_modalities=[audio], has_free_tier=True)
    ToolFactory(output_modalities=[text], has_free_tier=True)
    response = client.get(URL, {"output": "image", "free": "1"})
    # The output facet ignores its own selection but honours "free".
    assert facet(response, "output") == {"text": 1, "image": 1, "audio": 1}
    # The free facet ignores its own selection but honours "image".
    assert facet(response, "free") == {"1": 1}


def test_zero_count_options_are_shown_disabled(client, text, image):
    ToolFactory(output_modalities=[image])
    response = client.get(URL)
    assert b'aria-disabled="true"' in response.content
    assert facet(response, "output")["text"] == 0


def test_active_filters_show_as_removable_chips(client, image):
    ToolFactory(output_modalities=[image], has_free_tier=True)
    response = client.get(URL, {"output": "image", "free": "1"})
    chips = {chip.label: chip.remove_url for chip in response.context["browse"].chips}
    assert chips["Makes: Image"] == "?free=1"
    assert chips["Has a free tier"] == "?output=image"
    assert b"Clear all" in response.content


def test_total_count_is_shown(client):
    ToolFactory.create_batch(3)
    response = client.get(URL)
    assert b"<strong>3</strong> tools" in response.content


def test_sort_orders(client):
    ToolFactory(
        name="Beta",
        starting_price=Decimal("5"),
        checked_on=datetime.date(2026, 1, 1),
    )
    ToolFactory(name="Alpha", starting_price=None, checked_on=datetime.date(2026, 6, 1))
    ToolFactory(name="Gamma", starting_price=Decimal("1"))
    Tool.objects.filter(name="Gamma").update(created="2026-10-01T00:00:00Z")
    Tool.objects.filter(name="Beta").update(created="2026-09-01T00:00:00Z")
    Tool.objects.filter(name="Alpha").update(created="2026-08-01T00:00:00Z")
    assert names(client.get(URL)) == ["Alpha", "Beta", "Gamma"]
    assert names(client.get(URL, {"sort": "price"})) == ["Gamma", "Beta", "Alpha"]
    assert names(client.get(URL, {"sort": "newest"})) == ["Gamma", "Beta", "Alpha"]
    assert names(client.get(URL, {"sort": "verified"})) == ["Alpha", "Beta", "Gamma"]


def test_search_puts_name_matches_first(client):
    ToolFactory(name="Other", description="Works well next to Painter.")
    ToolFactory(name="Painter")
    assert names(client.get(URL, {"q": "painter"})) == ["Painter", "Other"]


def test_it_pages_by_24(client):
    ToolFactory.create_batch(30)
    first = client.get(URL)
    assert len(card_names(first)) == 24
    assert first.context["next_url"] == "?page=2"
    second = client.get(URL, {"page": "2"})
    assert len(card_names(second)) == 6
    assert second.context["next_url"] is None


@pytest.mark.parametrize("page", ["0", "-1", "999999999999999999999", "abc", "2.5", ""])
def test_bad_page_numbers_land_on_a_real_page_and_say_so(client, page):
    ToolFactory.create_batch(3)
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    if page not in ("", "1"):
        assert "no page" in " ".join(response.context["notes"])


def test_links_keep_the_filters(client, image):
    ToolFactory.create_batch(30, output_modalities=[image])
    response = client.get(URL, {"output": "image", "sort": "newest"})
    assert response.context["next_url"] == "?output=image&sort=newest&page=2"


def test_unknown_values_are_ignored_and_reported(client, image):
    ToolFactory(name="Painter", output_modalities=[image])
    ToolFactory(name="Other")
    response = client.get(URL, {"output": ["image", "nonsense"], "sort": "sideways"})
    assert response.status_code == 200
    assert names(response) == ["Painter"]
    notes = " ".join(response.context["notes"])
    assert "nonsense" in notes
    assert "sideways" in notes
    assert b"We ignored part of this address" in response.content


def test_open_weights_count_as_their_own_licence_class(client):
    ToolFactory(name="Weights", licence_class=LicenceClass.OPEN_WEIGHTS)
    ToolFactory(name="Closed")
    assert names(client.get(URL, {"licence": "open_weights"})) == ["Weights"]
