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


def jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_a_reviewed_tool_has_review_and_aggregate_rating_json_ld(client, tool):
    from tests.editorial_factories import ReviewFactory

    review = ReviewFactory(
        tool=tool,
        headline="Great </script> images",
        score_overall=4,
        author__first_name="Ada",
        author__last_name="Lovelace",
    )
    html = client.get(tool.get_absolute_url()).content.decode()
    data = jsonld(html)
    assert data["review"]["@type"] == "Review"
    assert data["review"]["name"] == "Great </script> images"
    assert data["review"]["author"] == {"@type": "Person", "name": "Ada Lovelace"}
    assert data["review"]["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert data["review"]["url"] == f"http://testserver{review.get_absolute_url()}"
    assert data["review"]["datePublished"] == review.published_at.date().isoformat()
    assert data["aggregateRating"]["ratingValue"] == 4
    assert data["aggregateRating"]["reviewCount"] == 1
    assert "Our review: Great &lt;/script&gt; images" in html  # the summary still shows


def test_unpublished_reviews_stay_out_of_json_ld(client, tool):
    from editorial.models import Review
    from tests.editorial_factories import ReviewFactory

    ReviewFactory(tool=tool, status=Review.Status.DRAFT, published_at=None)
    data = jsonld(client.get(tool.get_absolute_url()).content.decode())
    assert "review" not in data and "aggregateRating" not in data


def test_the_review_is_read_once_for_the_summary_and_json_ld(client, tool):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.editorial_factories import ReviewFactory

    ReviewFactory(tool=tool)
    client.get(tool.get_absolute_url())  # build the facet index
    with CaptureQueriesContext(connection) as ctx:
        client.get(tool.get_absolute_url())
    review_queries = [q for q in ctx.captured_queries if "editorial_review" in q["sql"]]
    assert len(review_queries) == 1


def test_the_sitemap_lists_comparisons_of_featured_rivals(client, db):
    image, video = ModalityFactory(name="Image"), ModalityFactory(name="Video")
    for name in ("Midjourney", "Firefly", "Ideogram"):
        ToolFactory(name=name, output_modalities=[image], is_featured=True)
    ToolFactory(name="Runway", output_modalities=[video], is_featured=True)  # no rival
    ToolFactory(name="Leonardo", output_modalities=[image])  # not featured
    xml = client.get("/sitemap.xml").content.decode()
    compared = set(re.findall(r"/compare/\?tools=([-a-z,]+)</loc>", xml))
    # Each tool with its closest rival (ties by name) and with its two closest.
    assert compared == {"firefly,ideogram", "firefly,midjourney", "firefly,ideogram,midjourney"}
    assert client.get("/compare/?tools=firefly,ideogram,midjourney").status_code == 200


def test_the_sitemap_lists_published_reviews(client, db):
    from editorial.models import Review
    from tests.editorial_factories import ReviewFactory

    published = ReviewFactory()
    draft = ReviewFactory(status=Review.Status.DRAFT, published_at=None)
    xml = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{published.get_absolute_url()}" in xml
    assert draft.get_absolute_url() not in xml


def test_the_comparison_sitemap_costs_constant_queries(client, db, django_assert_max_num_queries):
    image = ModalityFactory(name="Image")
    for _ in range(4):
        ToolFactory(output_modalities=[image], is_featured=True)
    client.get("/sitemap.xml")
    with django_assert_max_num_queries(10) as captured:
        client.get("/sitemap.xml")
    warm = len(captured.captured_queries)  # read now: the next request resets the log
    for _ in range(20):
        ToolFactory(output_modalities=[image], is_featured=True)
    client.get("/sitemap.xml")  # rebuild the facet index after the change
    with django_assert_max_num_queries(warm):
        client.get("/sitemap.xml")
