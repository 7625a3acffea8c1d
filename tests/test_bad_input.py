"""Garbage in the query string never breaks a page: 200 with a note, or a 4xx."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ModalityFactory, ToolFactory
from tests.pages import card_names

pytestmark = pytest.mark.django_db

PAGES = ["/", "/tools/", "/modalities/image/", "/tools/painter/"]
KEYS = ["q", "output", "input", "family", "use", "platform", "work", "pricing", "commercial"]
KEYS += ["licence", "free", "api", "vendor", "sort", "page", "zzz"]

garbage_value = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="%fF0123456789", max_size=12),  # broken and non-UTF-8 escapes
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.just("x" * 10_000),
    st.sampled_from(['"', "'", "--", "-", "or", "*", "\\", "?", "&", "=", "%", "image"]),
)


def _raw(value: str) -> str:
    # Keep "%ff"-style sequences unescaped so they reach Django as broken bytes.
    return value if all(c in "%fF0123456789" for c in value) else quote(value, safe="")


@pytest.fixture
def catalogue(db):
    image = ModalityFactory(name="Image", slug="image")
    ToolFactory(name="Painter", slug="painter", output_modalities=[image])
    ToolFactory.create_batch(3)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    page=st.sampled_from(PAGES),
    pairs=st.lists(st.tuples(st.sampled_from(KEYS), garbage_value), max_size=6),
)
def test_generated_garbage_never_gives_a_server_error(client, catalogue, page, pairs):
    query = "&".join(f"{key}={_raw(value)}" for key, value in pairs)
    response = client.get(f"{page}?{query}")
    assert response.status_code in (200, 400, 404), query


@pytest.mark.parametrize(
    "query",
    [
        "output=image&output=image&output=image",
        "page=-1&page=2",
        "q=%ff%fe",
        "output=%ff",
        "sort=&sort=price",
        "free=2",
        "api=true",
        "q=" + "y" * 10_000,
        "output=" + "&output=".join(["image"] * 200),
    ],
)
def test_known_nasty_queries_answer_200(client, catalogue, query):
    assert client.get(f"/tools/?{query}").status_code == 200


def test_nul_bytes_are_refused_with_400(client, catalogue):
    response = client.get("/tools/?q=a%00b")
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_overlong_search_is_cut_and_said(client, catalogue):
    response = client.get("/tools/", {"q": "painter" + " " * 300 + "x"})
    assert response.status_code == 200
    assert "cut to 200 characters" in " ".join(response.context["notes"])


def test_too_many_values_are_capped_and_said(client, catalogue):
    response = client.get("/tools/", {"output": ["image"] * 50})
    assert "only the first 30" in " ".join(response.context["notes"])
    assert card_names(response) == ["Painter"]
