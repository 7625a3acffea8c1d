"""Alternatives: tools that do the same job, narrowed by free, open and commercial links."""

import pytest
from django.urls import reverse

from catalog.models import LicenceClass, Tool
from tests.factories import ModalityFactory, ToolFactory, UseCaseFactory
from tests.pages import card_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    return ModalityFactory(name="Image")


@pytest.fixture
def midjourney(image):
    return ToolFactory(name="Midjourney", output_modalities=[image])


def url(tool, **params):
    return reverse("catalog:alternatives", args=[tool.slug]), params


def names(response) -> list[str]:
    return card_names(response)


def test_it_lists_tools_that_make_the_same_thing(client, midjourney, image):
    ToolFactory(name="Firefly", output_modalities=[image])
    ToolFactory(name="Suno", output_modalities=[ModalityFactory(name="Audio")])
    response = client.get(*url(midjourney))
    assert response.status_code == 200
    assert names(response) == ["Firefly"]


def test_it_ranks_by_what_they_share(client, midjourney, image):
    art = UseCaseFactory(name="Art")
    midjourney.use_cases.add(art)
    ToolFactory(name="A plain one", output_modalities=[image])
    ToolFactory(name="Z closer", output_modalities=[image], use_cases=[art])
    assert names(client.get(*url(midjourney))) == ["Z closer", "A plain one"]


@pytest.mark.parametrize(
    ("flag", "match", "miss"),
    [
        ("free", {"has_free_tier": True}, {"has_free_tier": False}),
        (
            "open",
            {"licence_class": LicenceClass.OPEN_SOURCE, "licence_spdx": "MIT"},
            {"licence_class": LicenceClass.PROPRIETARY},
        ),
        (
            "commercial",
            {"commercial_use": Tool.CommercialUse.ALLOWED},
            {"commercial_use": Tool.CommercialUse.NOT_ALLOWED},
        ),
    ],
)
def test_each_filter_narrows_the_list(client, midjourney, image, flag, match, miss):
    ToolFactory(name="Match", output_modalities=[image], **match)
    ToolFactory(name="Miss", output_modalities=[image], **miss)
    assert names(client.get(*url(midjourney, **{flag: "1"}))) == ["Match"]


def test_filter_links_toggle_without_javascript(client, midjourney):
    links = client.get(*url(midjourney, free="1")).context["filter_links"]
    assert ("Free or free tier", "?", True) in links
    assert ("Commercial use allowed", "?free=1&commercial=1", False) in links


def test_it_leaves_out_drafts_and_the_tool_itself(client, midjourney, image):
    ToolFactory(name="Draft", output_modalities=[image], status=Tool.Status.DRAFT)
    assert names(client.get(*url(midjourney))) == []


def test_an_unknown_or_draft_tool_is_not_found(client, image):
    draft = ToolFactory(name="Draft", status=Tool.Status.DRAFT)
    assert client.get(reverse("catalog:alternatives", args=["nope"])).status_code == 404
    assert client.get(*url(draft)).status_code == 404


def test_the_tool_page_links_here(client, midjourney):
    html = client.get(midjourney.get_absolute_url()).content.decode()
    assert reverse("catalog:alternatives", args=["midjourney"]) in html


def test_it_caps_the_list(client, midjourney, image):
    for n in range(30):
        ToolFactory(name=f"Alt {n}", output_modalities=[image])
    assert len(names(client.get(*url(midjourney)))) == 24


def test_the_query_budget_is_constant(client, midjourney, image, django_assert_max_num_queries):
    for n in range(5):
        ToolFactory(name=f"Few {n}", output_modalities=[image])
    with django_assert_max_num_queries(20) as captured:
        client.get(*url(midjourney))
    for n in range(35):
        ToolFactory(name=f"More {n}", output_modalities=[image, ModalityFactory()])
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert client.get(*url(midjourney)).status_code == 200
