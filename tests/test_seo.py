"""Search engines and sharing: sitemap, robots.txt, canonical and OpenGraph tags, JSON-LD, feed."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Tool
from tests.factories import ModalityFactory, PlatformFactory, ToolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tool():
    return ToolFactory(
        name="Midjourney",
        pitch="Images from <prompts> & words",
        output_modalities=[ModalityFactory(name="Image")],
        platforms=[PlatformFactory(name="Web")],
        has_free_tier=True,
        starting_price=Decimal("10.00"),
    )


def test_the_sitemap_lists_tools_topics_and_pages(client, tool):
    ToolFactory(name="Draft", status=Tool.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/tools/midjourney/" in xml
    assert "http://testserver/modalities/image/" in xml
    assert "http://testserver/llms-vs-generative-ai/" in xml
    assert "/tools/draft/" not in xml


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_filtered_lists_share_one_canonical_url(client, tool):
    html = client.get(reverse("catalog:tool_list"), {"output": "image", "page": "1"}).content
    assert b'<link rel="canonical" href="http://testserver/tools/">' in html


def test_pages_carry_opengraph_tags(client, tool):
    html = client.get(tool.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Midjourney">' in html
    assert '<meta property="og:url" content="http://testserver/tools/midjourney/">' in html
    assert 'name="twitter:card"' in html


def test_the_tool_page_has_software_application_json_ld(client, tool):
    html = client.get(tool.get_absolute_url()).content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    assert "<prompts>" not in match.group(1)  # escaped, so it cannot close the element
    data = json.loads(match.group(1))
    assert data["@type"] == "SoftwareApplication"
    assert data["name"] == "Midjourney"
    assert data["description"] == "Images from <prompts> & words"
    assert [o["price"] for o in data["offers"]] == ["0", "10.00"]
    assert data["operatingSystem"] == "Web"


def test_drafts_get_no_json_ld_and_are_not_indexed(editor_client, db):
    draft = ToolFactory(name="Draft", status=Tool.Status.DRAFT)
    html = editor_client.get(draft.get_absolute_url()).content.decode()
    assert "application/ld+json" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_feed_lists_new_tools_newest_first(client, tool):
    ToolFactory(name="Newer")
    ToolFactory(name="Draft", status=Tool.Status.DRAFT)
    response = client.get(reverse("catalog:tools_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert body.index("Newer") < body.index("Midjourney")
    assert "Draft" not in body


def test_pages_advertise_the_feed(client, db):
    html = client.get(reverse("catalog:home")).content.decode()
    assert 'type="application/atom+xml"' in html


@pytest.mark.parametrize("url", ["/sitemap.xml", "/feeds/tools.atom"])
def test_the_query_budget_is_constant(client, db, url, django_assert_max_num_queries):
    for _ in range(5):
        ToolFactory(output_modalities=[ModalityFactory()])
    with django_assert_max_num_queries(15) as captured:
        client.get(url)
    for _ in range(35):
        ToolFactory(output_modalities=[ModalityFactory()])
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert client.get(url).status_code == 200
