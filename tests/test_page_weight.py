"""Front-end weight: every key page, with its own CSS and JS, stays under 50 KB compressed.

The weight is what a first visit downloads, images excluded: the HTML plus every
same-origin stylesheet and script the page references, each compressed on its
own. The measure is gzip at level 6, the usual server default: browsers that
accept brotli get whitenoise's .br files, which are smaller still, so this is an
upper bound that does not depend on which compressors are installed.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from catalog.models import Tool

BUDGET = 50 * 1024

pytestmark = pytest.mark.django_db


def compressed_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


class AssetLinks(HTMLParser):
    """Collects <link rel="stylesheet" href> and <script src> URLs, in order, once each."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        url = None
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").lower().split():
            url = attributes.get("href")
        elif tag == "script":
            url = attributes.get("src")
        if url and url not in self.urls:
            self.urls.append(url)


def static_file(url: str) -> Path:
    """The source file behind a same-origin static URL; fails on anything else."""
    parts = urlsplit(url)
    assert not parts.scheme and not parts.netloc, f"third-party asset {url}"
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    assert parts.path.startswith(static_url), f"asset outside STATIC_URL: {url}"
    found = finders.find(parts.path.removeprefix(static_url))
    assert found, f"no static file for {url}"
    return Path(found)


def page_weight(client, url: str) -> tuple[int, dict[str, int]]:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    html = response.content
    # A page that lists no tools would weigh nothing and prove nothing.
    tool_links = set(re.findall(rb'href="/tools/[a-z0-9-]+/"', html))
    assert len(tool_links) >= 2, f"{url} links to fewer than two tools"
    parser = AssetLinks()
    parser.feed(html.decode())
    parts = {"HTML": compressed_size(html)}
    for asset in parser.urls:
        parts[asset] = compressed_size(static_file(asset).read_bytes())
    return sum(parts.values()), parts


@pytest.fixture
def demo(db):
    call_command("load_demo_catalogue", verbosity=0)


def heaviest_tool_page(client) -> str:
    """The demo tool whose page has the most HTML (reviews, plans, many facts)."""
    slugs = Tool.objects.published().order_by("slug").values_list("slug", flat=True)
    return max((f"/tools/{slug}/" for slug in slugs), key=lambda url: len(client.get(url).content))


WIZARD_RESULT = (
    "/wizard/result/?project=writing-editing&project=marketing&scale=team&budget=monthly&max=50"
)
PAGES = {
    "home": lambda client: "/",
    "catalogue": lambda client: "/tools/",
    "tool page": heaviest_tool_page,
    "compare": lambda client: "/compare/?tools=chatgpt,claude,gemini,perplexity",
    "wizard result": lambda client: WIZARD_RESULT,
}


@pytest.mark.parametrize("page", PAGES)
def test_page_weight_is_at_most_50_kb_compressed(client, demo, page):
    url = PAGES[page](client)
    total, parts = page_weight(client, url)
    assert len(parts) > 1, f"{page} ({url}) references no CSS or JS: the parser missed them"
    detail = ", ".join(f"{name} {size / 1024:.1f} KB" for name, size in parts.items())
    assert total <= BUDGET, (
        f"{page} ({url}) weighs {total / 1024:.1f} KB compressed, over 50 KB: {detail}"
    )
