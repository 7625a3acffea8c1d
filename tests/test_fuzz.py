"""Every public URL and form, driven with generated garbage: never a 5xx.

The routes come from the URLconf itself (everything outside the admin), so a
new public page is fuzzed as soon as it exists; a route with a URL argument
this module has no sample value for fails `test_every_public_route_is_fuzzed`.

Budget: FUZZ_EXAMPLES (default 2,000) cases shared between the tests below by
weight; `make fuzz` raises it to 10,000+. A NUL byte anywhere in a query or
form must give 400 (PostgreSQL refuses NUL in text); everything else may be
any answer below 500.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from catalog.filters import ToolFilter
from catalog.models import LicenceClass, Tool
from catalog.wizard.questions import BUDGETS, FLAGS, PROJECTS, SCALES
from editorial.models import Review, Submission
from tests.editorial_factories import ReviewFactory
from tests.factories import (
    EditorFactory,
    InteractionFactory,
    ModalityFactory,
    ModelFamilyFactory,
    PlatformFactory,
    ToolFactory,
    UseCaseFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

TOTAL_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))


def fuzz_settings(share: float):
    """Hypothesis settings for a test that gets `share` of the FUZZ_EXAMPLES budget."""
    return settings(
        max_examples=max(10, round(TOTAL_EXAMPLES * share)),
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


# -- The catalogue every example runs against: small, but every page has content.

TOOL = "painter"
OTHER_TOOLS = ["scribe", "composer", "old-canvas"]
MODALITY = "image"
FAMILY = "diffusion"
USE_CASE = "art-graphics"
VENDOR = "pixel-co"
REVIEW = "painter-reviewed"
AUTHOR = "fuzz-editor"

# Sample values for URL arguments, by route name.
ROUTE_KWARGS: dict[str, dict[str, str]] = {
    "catalog:tool_detail": {"slug": TOOL},
    "catalog:alternatives": {"slug": TOOL},
    "catalog:modality": {"slug": MODALITY},
    "catalog:family": {"slug": FAMILY},
    "catalog:use_case": {"slug": USE_CASE},
    "catalog:vendor": {"slug": VENDOR},
    "editorial:review_detail": {"slug": REVIEW},
    "editorial:author": {"username": AUTHOR},
    "editorial:report": {"slug": TOOL},
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
}


@pytest.fixture
def catalogue(db):
    image = ModalityFactory(name="Image", slug=MODALITY)
    text = ModalityFactory(name="Text", slug="text")
    audio = ModalityFactory(name="Audio", slug="audio")
    diffusion = ModelFamilyFactory(name="Diffusion", slug=FAMILY)
    art = UseCaseFactory(name="Art and graphics", slug=USE_CASE)
    music = UseCaseFactory(name="Music and audio", slug="music-audio")
    web = PlatformFactory(name="Web", slug="web")
    figma = PlatformFactory(name="Figma", slug="figma", kind="integration")
    chat = InteractionFactory(name="Chat", slug="chat")
    vendor = VendorFactory(name="Pixel Co", slug=VENDOR)
    painter = ToolFactory(
        name="Painter",
        slug=TOOL,
        vendor=vendor,
        has_free_tier=True,
        starting_price=10,
        input_modalities=[text],
        output_modalities=[image],
        families=[diffusion],
        use_cases=[art],
        platforms=[web, figma],
        interactions=[chat],
    )
    ToolFactory(
        name="Scribe",
        slug="scribe",
        pricing_model=Tool.PricingModel.FREE,
        has_free_tier=True,
        has_public_api=True,
        input_modalities=[text],
        output_modalities=[text],
        interactions=[chat],
    )
    ToolFactory(
        name="Composer",
        slug="composer",
        pricing_model=Tool.PricingModel.SELF_HOSTED,
        licence_class=LicenceClass.OPEN_SOURCE,
        commercial_use=Tool.CommercialUse.CONDITIONAL,
        output_modalities=[audio],
        use_cases=[music],
    )
    ToolFactory(
        name="Old Canvas",
        slug="old-canvas",
        status=Tool.Status.DISCONTINUED,
        output_modalities=[image],
    )
    ToolFactory(name="Unpublished", slug="unpublished", status=Tool.Status.DRAFT)
    author = EditorFactory(username=AUTHOR)
    ReviewFactory(tool=painter, author=author, headline="Painter reviewed", slug=REVIEW)
    ReviewFactory(tool=painter, author=author, status=Review.Status.DRAFT)


# -- Generated input.

FILTER_KEYS = [*ToolFilter.base_filters, "sort", "page"]
WIZARD_KEYS = ["project", "output", "input", "script", "work", "uses", "scale", "budget", "max"]
WIZARD_KEYS += [*FLAGS, "step", "page"]
OTHER_KEYS = ["tools", "diff", "free", "open", "commercial", "format", "callback", "utm_source"]
KNOWN_VALUES = [
    *PROJECTS,
    *SCALES,
    *BUDGETS,
    MODALITY,
    "text",
    "audio",
    FAMILY,
    USE_CASE,
    VENDOR,
    "web",
    "figma",
    "chat",
    *Tool.PricingModel.values,
    *Tool.CommercialUse.values,
    *LicenceClass.values,
    "name",
    "newest",
    "price",
    "score",
    ",".join([TOOL, *OTHER_TOOLS]),
    f"{TOOL},scribe",
    "painter,painter,painter",
]
WRONG_TYPES = ["[]", "{}", "null", "true", "1e309", "NaN", "-Infinity", "0x1F", "-0", "1.5"]
WRONG_TYPES += ["²", "١٢", "Ⅻ", "0" * 5000, "9" * 40, "-" + "9" * 40]
WRONG_TYPES += ["<script>alert(1)</script>", "' OR 1=1 --", "../.."]
BROKEN_ESCAPES = ["%", "%%", "%zz", "%f", "%ff%fe", "%c3", "%c3%28", "%e2%82", "%ed%a0%80", "%2"]
RAW_CHUNKS = [*BROKEN_ESCAPES, "&&", "=", "==", ";", "+", "a=b=c", "%26%3D", "%00", "x%00y"]

keys = st.one_of(
    st.sampled_from(FILTER_KEYS + WIZARD_KEYS + OTHER_KEYS),
    st.sampled_from(["output[]", "output[0]", "Q", "q ", " q"]),
    st.text(max_size=12),
)
values = st.one_of(
    st.sampled_from(KNOWN_VALUES),
    st.sampled_from(WRONG_TYPES),
    st.text(max_size=40),  # any unicode, control characters included
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats().map(str),
    st.text(min_size=1, max_size=3).map(lambda s: s * 5000),  # huge
    st.text(max_size=10).map(lambda s: f"{s}\x00{s}"),  # NUL
)

short_values = st.one_of(st.sampled_from(KNOWN_VALUES), st.text(max_size=10))


def _pair(pair: tuple[str, str]) -> str:
    key, value = pair
    return f"{quote(key, safe='')}={quote(value, safe='')}"


query_part = st.one_of(
    st.tuples(keys, values).map(_pair),
    st.sampled_from(RAW_CHUNKS),
    st.tuples(st.sampled_from(FILTER_KEYS + WIZARD_KEYS), st.sampled_from(BROKEN_ESCAPES)).map(
        "=".join
    ),
    # Repeated keys, now and then past DATA_UPLOAD_MAX_NUMBER_FIELDS.
    st.tuples(keys, short_values, st.integers(min_value=2, max_value=1100)).map(
        lambda t: "&".join([_pair((t[0], t[1]))] * t[2])
    ),
)
query_strings = st.lists(query_part, max_size=8).map("&".join)


def _has_nul(query: str) -> bool | None:
    """Whether Django will see a NUL in this query; None if it refuses to parse it."""
    try:
        data = QueryDict(query)
    except Exception:  # TooManyFieldsSent: a 400 of its own.
        return None
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)


def assert_answer(response, *, query: str = "") -> None:
    path = response.request["PATH_INFO"]
    where = f"{response.request['REQUEST_METHOD']} {path}?{query[:300]}"
    assert response.status_code < 500, where
    # /healthz answers before any input is read, so it never sees the NUL.
    if _has_nul(query) and path not in MIDDLEWARE_PATHS:
        assert response.status_code == 400, where


# -- Routes.


def public_routes() -> list[str]:
    """Every named route outside the admin, as 'namespace:name'."""

    def walk(patterns, namespace: str) -> list[str]:
        names = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    inner = ":".join(filter(None, [namespace, pattern.namespace]))
                    names += walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(":".join(filter(None, [namespace, pattern.name])))
        return names

    return sorted(set(walk(get_resolver().url_patterns, "")))


def _path(route: str) -> str | None:
    try:
        return reverse(route, kwargs=ROUTE_KWARGS.get(route))
    except NoReverseMatch:
        return None


# Public paths answered by middleware rather than the URLconf.
MIDDLEWARE_PATHS = ["/healthz"]
PATHS = [path for path in map(_path, public_routes()) if path] + MIDDLEWARE_PATHS


def test_every_public_route_is_fuzzed():
    missing = [route for route in public_routes() if _path(route) is None]
    assert not missing, f"add sample URL arguments to ROUTE_KWARGS for {missing}"
    assert {"/", "/tools/", "/wizard/result/", "/submit/", "/robots.txt"} <= set(PATHS)


# -- GET.


@fuzz_settings(0.35)
@given(path=st.sampled_from(PATHS), query=query_strings, htmx=st.booleans())
def test_any_query_on_any_public_page_is_answered_without_a_server_error(
    client, catalogue, path, query, htmx
):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(f"{path}?{query}", headers=headers)
    assert_answer(response, query=query)


catalogue_pairs = st.lists(
    st.tuples(
        st.sampled_from(FILTER_KEYS),
        st.one_of(st.sampled_from(KNOWN_VALUES), values),
    ),
    max_size=10,
)


@fuzz_settings(0.15)
@given(pairs=catalogue_pairs, base=st.sampled_from(["/tools/", f"/modalities/{MODALITY}/", "/"]))
def test_catalogue_filters_in_any_combination_never_fail(client, catalogue, pairs, base):
    query = "&".join(map(_pair, pairs))
    assert_answer(client.get(f"{base}?{query}"), query=query)


wizard_pairs = st.lists(
    st.tuples(
        st.sampled_from(WIZARD_KEYS),
        st.one_of(st.sampled_from([*KNOWN_VALUES, "1", "0", "7", "8", "250"]), values),
    ),
    max_size=12,
)


# Found by this suite: digits Python's int() refuses (too many, or not ASCII).
@example(pairs=[("step", "0" * 5000)], path="/wizard/")
@example(pairs=[("step", "²")], path="/wizard/")
@fuzz_settings(0.15)
@given(
    pairs=wizard_pairs, path=st.sampled_from(["/wizard/", "/wizard/result/", "/wizard/excluded/"])
)
def test_wizard_answers_in_any_combination_never_fail(client, catalogue, pairs, path):
    query = "&".join(map(_pair, pairs))
    assert_answer(client.get(f"{path}?{query}"), query=query)


slug_lists = st.lists(
    st.one_of(st.sampled_from([TOOL, *OTHER_TOOLS, "unpublished", "nope"]), st.text(max_size=30)),
    max_size=12,
)


@fuzz_settings(0.08)
@given(slugs=slug_lists, sep=st.sampled_from([",", ", ", ",,", " ", "%2C"]), diff=values)
def test_compare_any_list_of_tools(client, catalogue, slugs, sep, diff):
    query = f"tools={sep.join(quote(s, safe='') for s in slugs)}&diff={quote(diff, safe='')}"
    assert_answer(client.get(f"/compare/?{query}"), query=query)


path_segments = st.one_of(
    st.text(min_size=1, max_size=60).map(lambda s: quote(s, safe="")),
    st.sampled_from([*BROKEN_ESCAPES, "%00", "..", "%2e%2e", "a" * 3000, "%2F", "painter%20"]),
)


@fuzz_settings(0.07)
@given(
    route=st.sampled_from(sorted(ROUTE_KWARGS)),
    segment=path_segments,
    query=query_strings,
)
def test_garbage_in_url_arguments_gives_404_not_500(client, catalogue, route, segment, query):
    path = _path(route)
    real = next(iter(ROUTE_KWARGS[route].values()))
    response = client.get(f"{path.replace(real, segment, 1)}?{query}")
    assert_answer(response, query=query)


# -- POST: the public forms.

form_values = st.one_of(
    values,
    st.sampled_from(
        ["", "https://example.org/", "http://new-tool.example", "ftp://x", "javascript:"]
    ),
    st.sampled_from(["a@example.com", "not an email", *Tool.PricingModel.values]),
    st.sampled_from([*Submission.Reason.values, "1", "-1", "999999999999"]),
)
SUBMIT_FIELDS = ["name", "website", "pitch", "pricing_model", "modalities", "email", "message"]
REPORT_FIELDS = ["reason", "message", "email"]
form_posts = st.lists(
    st.tuples(
        st.one_of(
            st.sampled_from([*SUBMIT_FIELDS, *REPORT_FIELDS, "nickname", "csrfmiddlewaretoken"]),
            keys,
        ),
        form_values,
    ),
    max_size=12,
)


def _post(client: Client, path: str, pairs: list[tuple[str, str]], *, raw_tail: str | None):
    """POST as a form (multipart), or as a url-encoded body ending in `raw_tail`."""
    body = "&".join(map(_pair, pairs))
    if raw_tail is not None:
        body = f"{body}&{raw_tail}" if body else raw_tail
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
        return response, body
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return client.post(path, data), body


raw_tails = st.one_of(st.none(), st.sampled_from(["", *RAW_CHUNKS]))


@pytest.fixture
def forms_client(catalogue) -> Client:
    # A valid CSRF token is the same as no check: Client() skips CSRF by default.
    return Client()


# Found by this suite: an id past 64 bits overflows SQLite's INTEGER.
@example(pairs=[("modalities", "9" * 40)], raw_tail=None)
@fuzz_settings(0.1)
@given(pairs=form_posts, raw_tail=raw_tails)
def test_submit_form_takes_any_post(forms_client, pairs, raw_tail):
    cache.clear()  # the per-client rate limit would answer 429 to everything after 5
    response, body = _post(forms_client, "/submit/", pairs, raw_tail=raw_tail)
    assert response.status_code in (200, 302, 400, 429), body[:300]
    assert_answer(response, query=body)


@fuzz_settings(0.1)
@given(
    pairs=form_posts,
    raw_tail=raw_tails,
    path=st.sampled_from([f"/tools/{TOOL}/report/", "/tools/old-canvas/report/"]),
)
def test_report_form_takes_any_post(forms_client, pairs, raw_tail, path):
    cache.clear()
    response, body = _post(forms_client, path, pairs, raw_tail=raw_tail)
    assert response.status_code in (200, 302, 400, 429), body[:300]
    assert_answer(response, query=body)


@fuzz_settings(0.05)
@given(
    path=st.sampled_from(["/submit/", f"/tools/{TOOL}/report/", *PATHS]),
    pairs=form_posts,
)
def test_posts_without_a_csrf_token_are_refused(catalogue, path, pairs):
    response, body = _post(Client(enforce_csrf_checks=True), path, pairs, raw_tail=None)
    assert_answer(response, query=body)
    if not _has_nul(body):
        # /healthz refuses every POST before the CSRF check runs.
        assert response.status_code == (405 if path in MIDDLEWARE_PATHS else 403), body[:300]
