"""Home page browse lists and the taxonomy pages that reuse the catalogue."""

import pytest
from django.urls import reverse

from catalog.models import Tool
from tests.factories import ModalityFactory, ModelFamilyFactory, ToolFactory, UseCaseFactory
from tests.pages import card_names

pytestmark = pytest.mark.django_db


def test_home_counts_published_tools_per_output_use_case_and_family(client):
    image = ModalityFactory(name="Image")
    ModalityFactory(name="Smell")  # no tool makes it: hidden
    art = UseCaseFactory(name="Art")
    gan = ModelFamilyFactory(name="GAN")
    ToolFactory(output_modalities=[image], use_cases=[art], families=[gan])
    ToolFactory(output_modalities=[image])
    ToolFactory(output_modalities=[image], status=Tool.Status.DRAFT)
    response = client.get(reverse("catalog:home"))
    assert response.status_code == 200
    assert {t.name: n for t, n in response.context["by_output"]} == {"Image": 2}
    assert {t.name: n for t, n in response.context["by_use"]} == {"Art": 1}
    assert {t.name: n for t, n in response.context["by_family"]} == {"GAN": 1}


def test_home_shows_recent_tools_but_never_drafts(client):
    ToolFactory(name="Fresh")
    ToolFactory(name="Secret", status=Tool.Status.DRAFT)
    body = client.get(reverse("catalog:home")).content.decode()
    assert "Fresh" in body
    assert "Secret" not in body


def test_modality_page_explains_and_lists_tools_that_make_it(client):
    image = ModalityFactory(name="Image", description="Pictures of all kinds.")
    audio = ModalityFactory(name="Audio")
    ToolFactory(name="Painter", output_modalities=[image], has_free_tier=True)
    ToolFactory(name="Painter Pro", output_modalities=[image])
    ToolFactory(name="Singer", output_modalities=[audio])
    response = client.get(image.get_absolute_url())
    assert response.status_code == 200
    assert b"Pictures of all kinds." in response.content
    assert card_names(response) == ["Painter", "Painter Pro"]
    # Further filters combine with the pinned one, and links never repeat it.
    narrowed = client.get(image.get_absolute_url(), {"free": "1"})
    assert card_names(narrowed) == ["Painter"]
    assert all("output=" not in chip.remove_url for chip in narrowed.context["browse"].chips)


@pytest.mark.parametrize(
    ("factory", "relation"),
    [(ModelFamilyFactory, "families"), (UseCaseFactory, "use_cases")],
)
def test_family_and_use_case_pages_list_their_tools(client, factory, relation):
    term = factory()
    ToolFactory(name="In", **{relation: [term]})
    ToolFactory(name="Out")
    response = client.get(term.get_absolute_url())
    assert card_names(response) == ["In"]


def test_vendor_page_lists_its_tools(client):
    tool = ToolFactory(name="Mine")
    ToolFactory(name="Theirs")
    response = client.get(tool.vendor.get_absolute_url())
    assert card_names(response) == ["Mine"]


@pytest.mark.parametrize("prefix", ["modalities", "families", "use-cases", "vendors"])
def test_unknown_taxonomy_slug_is_404(client, prefix):
    assert client.get(f"/{prefix}/does-not-exist/").status_code == 404
