"""The comparison grid: canonical URLs, clear answers for odd sets, rows and budgets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import compare
from catalog.facet_index import get_index
from catalog.models import Tool
from tests.factories import ModalityFactory, ToolFactory, UseCaseFactory

pytestmark = pytest.mark.django_db
URL = reverse("catalog:compare")


@pytest.fixture
def trio():
    text = ModalityFactory(name="Text")
    writing = UseCaseFactory(name="Writing")
    return [
        ToolFactory(
            name=name,
            output_modalities=[text],
            use_cases=[writing],
            has_free_tier=free,
            has_public_api=True,
        )
        for name, free in (("ChatGPT", True), ("Claude", True), ("Gemini", False))
    ]


def test_it_shows_two_to_four_tools_side_by_side(client, trio):
    response = client.get(URL, {"tools": "chatgpt,claude,gemini"})
    assert response.status_code == 200
    html = response.content.decode()
    assert [t.name for t in response.context["selection"].tools] == ["ChatGPT", "Claude", "Gemini"]
    for label in ("Makes", "Starting price", "Commercial use of outputs", "Trains on your data"):
        assert label in html


def test_it_redirects_other_spellings_to_the_one_canonical_url(client, trio):
    response = client.get(URL, {"tools": "gemini,ChatGPT,claude,gemini", "diff": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?tools=chatgpt,claude,gemini&diff=1"


def test_the_canonical_link_names_the_set(client, trio):
    html = client.get(URL, {"tools": "chatgpt,claude"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/compare/?tools=chatgpt,claude">' in html


def test_it_marks_rows_that_differ(client, trio):
    response = client.get(URL, {"tools": "chatgpt,gemini"})
    rows = {r.label: r for s in response.context["sections"] for r in s.rows}
    assert rows["Free tier"].differs
    assert not rows["Public API for the product"].differs
    assert "differs" in response.content.decode()


def test_only_differences_hides_rows_that_agree(client, trio):
    response = client.get(URL, {"tools": "chatgpt,gemini", "diff": "1"})
    labels = [r.label for s in response.context["sections"] for r in s.rows]
    assert "Free tier" in labels
    assert "Public API for the product" not in labels
    assert "Show all rows" in response.content.decode()


def test_verdicts_are_written_not_only_coloured(client, trio):
    html = client.get(URL, {"tools": "chatgpt,gemini"}).content.decode()
    assert 'class="verdict verdict-ok"' in html
    assert "✓</span> Yes" in html
    assert "✗</span> No" in html


@pytest.mark.parametrize("tools", ["", ",,,", "<script>"])
def test_no_tools_explains_how_to_start(client, db, tools):
    response = client.get(URL, {"tools": tools} if tools else {})
    assert response.status_code == 200
    assert "Pick two to four tools" in response.content.decode()


def test_one_tool_asks_for_another_and_suggests_some(client, trio):
    response = client.get(URL, {"tools": "chatgpt"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Add at least one more tool" in html
    assert f"{URL}?tools=chatgpt,claude" in html


def test_five_tools_are_refused_with_a_way_forward(client, db):
    for n in range(5):
        ToolFactory(name=f"T{n}")
    response = client.get(URL, {"tools": "t0,t1,t2,t3,t4"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "up to 4 tools" in html
    assert f"{URL}?tools=t0,t1,t2,t3" in html


def test_unknown_slugs_are_named_and_left_out(client, trio):
    response = client.get(URL, {"tools": "chatgpt,claude,no-such-tool"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“no-such-tool”" in html
    assert len(response.context["selection"].tools) == 2


def test_drafts_cannot_be_compared(client, trio):
    ToolFactory(name="Secret", status=Tool.Status.DRAFT)
    response = client.get(URL, {"tools": "chatgpt,secret"})
    assert "“secret”" in response.content.decode()
    assert response.context["selection"].too_few


def test_the_tool_page_links_to_add_it_to_the_comparison(client, trio):
    page = reverse("catalog:tool_detail", args=["claude"])
    html = client.get(page, {"compare": "chatgpt"}).content.decode()
    assert f"{URL}?tools=chatgpt,claude" in html


def test_parse_slugs_sorts_dedupes_and_rejects_junk():
    assert compare.parse_slugs(" b,a,,B,<x>,a ") == (["a", "b"], ["<x>"])


def test_the_query_budget_does_not_grow_with_relations(client, db, django_assert_max_num_queries):
    def make(n):
        return [
            ToolFactory(
                name=f"Tool {n}-{i}",
                output_modalities=[ModalityFactory() for _ in range(n)],
                use_cases=[UseCaseFactory() for _ in range(n)],
            ).slug
            for i in range(4)
        ]

    few = ",".join(sorted(make(1)))
    get_index()  # the facet index is rebuilt once per catalogue change, outside the budget
    with django_assert_max_num_queries(8) as captured:
        client.get(URL, {"tools": few})
    many = ",".join(sorted(make(10)))
    get_index()
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert client.get(URL, {"tools": many}).status_code == 200


def test_cached_cards_never_cost_the_suggestions_extra_queries(client, db):
    slugs = [ToolFactory(output_modalities=[ModalityFactory(slug="image")]).slug for _ in range(8)]
    query = {"tools": ",".join(sorted(slugs[:2]))}
    get_index()
    first = len(_queries(client, query))
    client.get(reverse("catalog:tool_detail", args=[slugs[0]]))  # caches similar tools' cards
    assert len(_queries(client, query)) <= first


def _queries(client, query):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, query).status_code == 200
    return ctx.captured_queries
