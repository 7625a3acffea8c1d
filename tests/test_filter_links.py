"""Facet links add or remove exactly one value and keep everything else in place."""

from urllib.parse import urlencode

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from catalog.browse import Toggles

KEYS = ["output", "input", "use", "free", "q", "pricing"]
VALUES = st.text(alphabet="ab &=é+%", min_size=1, max_size=4)


def plain_toggle(params: QueryDict, sort: str, key: str, value: str) -> str:
    """The straightforward link: the whole query with one value toggled, urlencoded."""
    query = {k: params.getlist(k) for k in params}
    values = query.get(key, [])
    query[key] = [v for v in values if v != value] if value in values else [*values, value]
    if sort not in ("", "name", "relevance"):
        query["sort"] = [sort]
    encoded = urlencode([(k, v) for k, vs in query.items() for v in vs])
    return f"?{encoded}" if encoded else "?"


@given(
    pairs=st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=6),
    sort=st.sampled_from(["", "name", "relevance", "price", "newest"]),
    key=st.sampled_from(KEYS),
    value=VALUES,
)
def test_fast_links_match_the_plain_ones(pairs, sort, key, value):
    params = QueryDict(mutable=True)
    for k, v in pairs:
        params.appendlist(k, v)
    assert Toggles(params, sort)(key, value) == plain_toggle(params, sort, key, value)


def test_a_link_toggles_one_value():
    params = QueryDict("output=image&output=video&free=1")
    toggle = Toggles(params, "price")
    assert toggle("output", "video") == "?output=image&free=1&sort=price"
    assert toggle("output", "audio") == "?output=image&output=video&output=audio&free=1&sort=price"
    assert toggle("use", "art") == "?output=image&output=video&free=1&use=art&sort=price"
    assert Toggles(QueryDict("free=1"), "name")("free", "1") == "?"
