"""Every catalogue page costs a fixed number of queries, whatever the catalogue's size."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.cards import recent as recent_cards
from catalog.facet_index import get_index
from tests.factories import (
    ModalityFactory,
    ModelFamilyFactory,
    PlatformFactory,
    ToolFactory,
    UseCaseFactory,
)

pytestmark = pytest.mark.django_db


def build_catalogue(size: int):
    text, image = ModalityFactory(slug="text"), ModalityFactory(slug="image")
    family, use = ModelFamilyFactory(slug="llm"), UseCaseFactory(slug="writing")
    platform = PlatformFactory(slug="web")
    tools = [
        ToolFactory(
            input_modalities=[text],
            output_modalities=[image, text],
            families=[family],
            use_cases=[use],
            platforms=[platform],
        )
        for _ in range(size)
    ]
    return tools[0]


def pages(tool) -> list[str]:
    return [
        "/",
        "/tools/",
        "/tools/?output=image&free=1&sort=price&page=2",
        "/tools/?q=tool",
        tool.get_absolute_url(),
        "/modalities/image/",
        "/families/llm/",
        "/use-cases/writing/",
        tool.vendor.get_absolute_url(),
    ]


def count_queries(client, url: str) -> int:
    """Queries of a cold request: no tool card rendered yet."""
    cache.clear()
    recent_cards.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [5, 60])
def test_pages_stay_within_their_budget(client, django_assert_max_num_queries, size):
    tool = build_catalogue(size)
    for url in pages(tool):
        with django_assert_max_num_queries(25):
            client.get(url)


def test_query_count_does_not_grow_with_the_catalogue(client):
    tool = build_catalogue(5)
    small = {url: count_queries(client, url) for url in pages(tool)}
    ToolFactory.create_batch(60, output_modalities=list(tool.output_modalities.all()))
    large = {url: count_queries(client, url) for url in pages(tool)}
    assert small == large


def test_the_catalogue_costs_one_query_cards_included(client):
    build_catalogue(30)
    get_index()  # built once per catalogue change, outside the counts
    cold = count_queries(client, "/tools/")
    with CaptureQueriesContext(connection) as warm:
        response = client.get("/tools/")
    # Only the version stamp: counts, order and every card come from the index.
    assert cold == 1
    assert len(warm.captured_queries) == 1
    assert response.content.count(b'<article class="card') == 24
