"""Live filtering: htmx requests get the catalogue fragment, everyone else the whole page."""

import pytest
from django.urls import reverse

from tests.factories import ModalityFactory, ToolFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.fixture
def image():
    image = ModalityFactory(name="Image")
    ToolFactory(name="Midjourney", output_modalities=[image])
    ToolFactory(name="ChatGPT")
    return image


def test_a_plain_request_gets_the_whole_page(client, image):
    html = client.get("/tools/", {"output": "image"}).text
    assert html.startswith("<!doctype html>")
    assert 'id="catalogue"' in html
    assert "js/htmx.min.js" in html


def test_an_htmx_request_gets_only_the_catalogue_fragment(client, image):
    response = client.get("/tools/", {"output": "image"}, headers=HTMX)
    html = response.text
    assert response.status_code == 200
    assert html.startswith('<div class="catalogue" id="catalogue"')
    assert "<html" not in html and "<h1>" not in html
    assert "Midjourney" in html and "ChatGPT" not in html
    assert 'aria-label="Filters"' in html  # counts update with the results


def test_a_history_restore_gets_the_whole_page(client, image):
    html = client.get("/tools/", {"output": "image"}, headers=RESTORE).text
    assert html.startswith("<!doctype html>")


def test_taxonomy_pages_swap_the_same_fragment(client, image):
    page = client.get(reverse("catalog:modality", args=["image"])).text
    fragment = client.get(reverse("catalog:modality", args=["image"]), headers=HTMX).text
    assert "AI tools that make image" in page
    assert fragment.startswith('<div class="catalogue"')
    assert "Midjourney" in fragment and "AI tools that make" not in fragment


def test_pages_and_fragments_vary_on_the_htmx_headers(client, image):
    for headers in ({}, HTMX):
        vary = client.get("/tools/", headers=headers)["Vary"]
        assert "HX-Request" in vary and "HX-History-Restore-Request" in vary


def test_a_fragment_and_a_page_at_one_url_have_different_etags(client, image):
    page = client.get("/tools/?output=image")
    fragment = client.get("/tools/?output=image", headers=HTMX)
    restore = client.get("/tools/?output=image", headers=RESTORE)
    assert len({page["ETag"], fragment["ETag"], restore["ETag"]}) == 3
    # The fragment's validator never revalidates the page, only the fragment.
    fragment_etag = {"If-None-Match": fragment["ETag"]}
    assert client.get("/tools/?output=image", headers=fragment_etag).status_code == 200
    again = client.get("/tools/?output=image", headers={**fragment_etag, **HTMX})
    assert again.status_code == 304


def test_links_in_the_fragment_are_boosted_but_cards_are_not(client, image):
    html = client.get("/tools/", headers=HTMX).text
    assert 'data-hx-boost="true" data-hx-target="this"' in html
    assert '<ul class="grid" role="list" data-hx-boost="false">' in html
    assert 'id="opt-output-image"' in html  # htmx gives focus back to the option clicked


def test_the_page_loads_htmx_without_unsafe_csp(client, image):
    response = client.get("/tools/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert '"allowEval": false' in response.text
    assert '"includeIndicatorStyles": false' in response.text
    assert "<script>" not in response.text  # no inline code, only src= scripts


def test_vendored_htmx_is_served(client, db):
    from django.contrib.staticfiles import finders

    path = finders.find("js/htmx.min.js")
    assert path
    with open(path, encoding="utf-8") as f:
        assert f.read(20).startswith("var htmx=")


@pytest.mark.parametrize("size", [3, 30])
def test_the_fragment_costs_no_more_than_the_page(client, django_assert_max_num_queries, size):
    image = ModalityFactory(name="Image")
    for _ in range(size):
        ToolFactory(output_modalities=[image])
    client.get("/tools/")  # build the facet index
    with django_assert_max_num_queries(6):
        client.get("/tools/", {"output": "image", "page": "2"}, headers=HTMX)
