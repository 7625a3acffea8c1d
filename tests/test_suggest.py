"""Search suggestions under the header search box: tools, use cases and outputs as you type."""

import pytest
from django.db import connection
from django.urls import reverse

from catalog.models import Tool
from catalog.suggest import MAX_TOOLS, suggest
from tests.factories import ModalityFactory, ToolFactory, UseCaseFactory

pytestmark = pytest.mark.django_db

URL = reverse("catalog:suggest")


@pytest.fixture
def catalogue():
    image, video = ModalityFactory(name="Image"), ModalityFactory(name="Video")
    ModalityFactory(name="Imaginary output")  # no tool makes it: never suggested
    design = UseCaseFactory(name="Image editing")
    return {
        "midjourney": ToolFactory(
            name="Midjourney",
            pitch="Striking images from a text prompt.",
            output_modalities=[image],
            use_cases=[design],
        ),
        "firefly": ToolFactory(
            name="Adobe Firefly", pitch="Images for designers.", output_modalities=[image]
        ),
        "runway": ToolFactory(name="Runway", pitch="Video from text.", output_modalities=[video]),
        "draft": ToolFactory(name="Midnight draft", status=Tool.Status.DRAFT),
    }


def test_it_suggests_tools_use_cases_and_outputs(catalogue):
    found = suggest("ima")
    assert found.use_cases[0].name == "Image editing"
    assert [t.name for t in found.modalities] == ["Image"]


def test_tools_come_from_search_relevance(catalogue):
    assert [t.name for t in suggest("midjourney").tools] == ["Midjourney"]


def test_drafts_are_never_suggested(catalogue):
    assert "Midnight draft" not in [t.name for t in suggest("midnight").tools]


def test_at_most_five_tools(db):
    for n in range(8):
        ToolFactory(name=f"Writer {n}")
    assert len(suggest("writer").tools) == MAX_TOOLS


@pytest.mark.parametrize("query", ["", "m", "   ", "!!", '"', "-", "()"])
def test_short_or_wordless_input_suggests_nothing(catalogue, django_assert_num_queries, query):
    with django_assert_num_queries(0):
        assert not suggest(query)


def test_a_typo_suggests_the_intended_tool(catalogue):
    # PostgreSQL: trigram search finds it; SQLite: the spelling fallback does.
    found = suggest("midjorney")
    assert [t.name for t in found.tools] == ["Midjourney"]


def test_the_fragment_lists_links_and_marks_the_query(client, catalogue):
    response = client.get(URL, {"q": "midj"})
    html = response.text
    assert response.status_code == 200
    assert "<html" not in html
    assert f'href="{catalogue["midjourney"].get_absolute_url()}"' in html
    assert "<mark>Midj</mark>ourney" in html
    assert 'href="/tools/?q=midj"' in html  # every result, by the plain search
    assert response["X-Robots-Tag"] == "noindex"


def test_topic_links_go_to_their_pages(client, catalogue):
    html = client.get(URL, {"q": "image"}).text
    assert 'href="/use-cases/image-editing/"' in html
    assert 'href="/modalities/image/"' in html
    assert "Imaginary" not in html


def test_an_empty_query_answers_an_empty_fragment(client, catalogue):
    response = client.get(URL, {"q": ""})
    assert response.status_code == 200
    assert response.content == b""


def test_no_match_says_so(client, catalogue):
    html = client.get(URL, {"q": "qqqzzzxxx"}).text
    assert "No quick matches" in html


def test_the_header_search_asks_for_suggestions_and_still_submits(client, catalogue):
    html = client.get("/").text
    assert 'action="/tools/" method="get" role="search"' in html
    assert f'data-hx-get="{URL}"' in html
    assert 'data-hx-trigger="input changed delay:200ms, search"' in html
    assert 'data-hx-target="#site-suggest"' in html
    assert 'aria-controls="site-suggest"' in html
    assert '<div id="site-suggest" class="suggest" aria-live="polite"></div>' in html


def test_query_text_is_escaped(client, catalogue):
    html = client.get(URL, {"q": "<script>alert(1)</script>"}).text
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "query",
    ["x" * 10_000, '"unbalanced', "-", "or or or", "a & | ! :*", "%_\\", "Ω≈ç√∫", "' OR 1=1 --"],
)
def test_garbage_never_fails(client, catalogue, query):
    assert client.get(URL, {"q": query}).status_code == 200


def test_nul_bytes_are_refused_before_the_view(client, catalogue):
    assert client.get(URL + "?q=mid%00journey").status_code == 400


@pytest.mark.parametrize("size", [3, 40])
def test_suggestions_cost_a_constant_number_of_queries(client, django_assert_max_num_queries, size):
    uses = UseCaseFactory(name="Writing")
    for n in range(size):
        ToolFactory(name=f"Writer {n}", use_cases=[uses])
    client.get(URL, {"q": "warm"})  # builds the facet index once
    with django_assert_max_num_queries(2):  # catalogue stamp + search
        client.get(URL, {"q": "writer"})
    with django_assert_max_num_queries(4):  # + spelling guess + that tool
        client.get(URL, {"q": "wrter"})


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_on_postgresql_a_typo_is_found_by_search_itself(client, catalogue):
    found = suggest("midjorney")
    assert found.spelled is None  # trigram search, not the fallback
    assert [t.name for t in found.tools] == ["Midjourney"]
    html = client.get(URL, {"q": "midjorney"}).text
    assert "Midjourney" in html
