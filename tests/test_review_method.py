"""Every review says how it was made, wherever it shows; scores show only once reviews exist."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from editorial.models import Review
from tests.editorial_factories import ReviewFactory
from tests.factories import ToolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def documentation_review() -> Review:
    return ReviewFactory(
        method=Review.Method.DOCUMENTATION,
        tested_on=datetime.date(2025, 11, 30),
        plan_tested="",
        version_tested="",
        headline="Clear terms, steep price",
    )


def jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_a_documentation_review_says_so_and_claims_no_use(client: Client, documentation_review):
    body = client.get(documentation_review.get_absolute_url()).content.decode()

    assert "Documentation review" in body
    assert "How we reviewed it: a documentation review." in body
    assert "Nobody used the tool for this review" in body
    assert "used it on real tasks" not in body
    assert "Hands-on test" not in body


def test_a_hands_on_review_says_when_and_on_which_plan_it_was_used(client: Client):
    review = ReviewFactory(plan_tested="Pro", tested_on=datetime.date(2026, 10, 1))

    body = client.get(review.get_absolute_url()).content.decode()

    assert "How we reviewed it: a hands-on test." in body
    assert "on the Pro plan" in body and "1 October 2026" in body


def test_lists_and_the_tool_page_show_the_method(client: Client, documentation_review):
    ReviewFactory(headline="Tried it for a month")
    listing = client.get(reverse("editorial:review_list")).content.decode()
    tool_page = client.get(documentation_review.tool.get_absolute_url()).content.decode()
    author = reverse("editorial:author", args=[documentation_review.author.username])

    assert listing.count('<span class="review-method">Documentation review</span>') == 1
    assert listing.count('<span class="review-method">Hands-on test</span>') == 1
    assert "Documentation review" in client.get(author).content.decode()
    assert "Documentation review" in tool_page


def test_the_feed_labels_each_review_with_its_method(client: Client, documentation_review):
    feed = client.get(reverse("editorial:review_feed")).content.decode()

    assert '<category term="Documentation review"/>' in feed
    assert "Documentation review. " in feed


def test_structured_data_never_passes_a_documentation_review_off_as_a_test(
    client: Client, documentation_review
):
    data = jsonld(client.get(documentation_review.tool.get_absolute_url()).content.decode())

    assert data["review"]["description"].startswith("Documentation review")
    assert "not a hands-on test" in data["review"]["description"]
    assert "aggregateRating" not in data


def test_structured_data_of_a_hands_on_test_says_when_it_was_used(client: Client):
    review = ReviewFactory(tested_on=datetime.date(2026, 10, 1))

    data = jsonld(client.get(review.tool.get_absolute_url()).content.decode())

    assert (
        data["review"]["description"]
        == "Hands-on test: an editor used the tool, last on 2026-10-01."
    )
    assert data["aggregateRating"]["reviewCount"] == 1


def test_the_score_facet_and_sort_wait_for_a_published_review(client: Client):
    ToolFactory()
    ReviewFactory(status=Review.Status.DRAFT, published_at=None)

    before = client.get(reverse("catalog:tool_list"))
    assert "score" not in {f.facet.name for f in before.context["browse"].facets}
    assert "Editorial score" not in before.content.decode()

    ReviewFactory()
    after = client.get(reverse("catalog:tool_list"))
    assert "score" in {f.facet.name for f in after.context["browse"].facets}
    assert "Editorial score" in after.content.decode()
