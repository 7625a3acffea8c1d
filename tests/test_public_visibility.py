"""Public means public: what is hidden from visitors stays hidden on every surface.

A published review of a draft tool is an editor's work in progress: no list,
feed, sitemap, author page or review page shows it until the tool is public.
The catalogue's "reviewed" status and score follow the current published review.
"""

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Tool
from editorial.models import Review
from tests.admin_forms import form_data
from tests.editorial_factories import ReviewFactory
from tests.factories import ToolFactory
from tests.pages import card_names

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("catalog:tool_list")


@pytest.fixture
def hidden_review(db) -> Review:
    tool = ToolFactory(name="Secret Draft", slug="secret-draft", status=Tool.Status.DRAFT)
    return ReviewFactory(tool=tool, headline="Our verdict on a draft", slug="draft-verdict")


def surfaces(client: Client, review: Review) -> dict[str, str]:
    """The text of every public page that could show a review, keyed by surface."""
    author = review.author.get_username()
    pages = {
        "review list": reverse("editorial:review_list"),
        "feed": reverse("editorial:review_feed"),
        "sitemap": reverse("sitemap"),
        "author page": reverse("editorial:author", kwargs={"username": author}),
        "review page": review.get_absolute_url(),
        "tool page": reverse("catalog:tool_detail", kwargs={"slug": review.tool.slug}),
        "catalogue": CATALOGUE,
        "home": reverse("catalog:home"),
    }
    return {name: client.get(url).content.decode() for name, url in pages.items()}


@pytest.mark.parametrize(
    "surface",
    [
        "review list",
        "feed",
        "sitemap",
        "author page",
        "review page",
        "tool page",
        "catalogue",
        "home",
    ],
)
def test_a_review_of_a_draft_tool_is_hidden_on_every_surface(
    client: Client, hidden_review: Review, surface: str
):
    text = surfaces(client, hidden_review)[surface]

    assert "Our verdict on a draft" not in text
    assert "Secret Draft" not in text
    if surface not in {"review page", "tool page"}:  # a 404 page names its own address
        assert "draft-verdict" not in text
        assert "secret-draft" not in text


def test_the_hidden_review_page_and_author_page_are_not_found(client: Client, hidden_review):
    author = hidden_review.author.get_username()

    assert client.get(hidden_review.get_absolute_url()).status_code == 404
    assert client.get(reverse("editorial:author", kwargs={"username": author})).status_code == 404


def test_staff_still_preview_the_hidden_review(editor_client: Client, hidden_review):
    response = editor_client.get(hidden_review.get_absolute_url())

    assert response.status_code == 200
    assert "Our verdict on a draft" in response.text


def test_publishing_the_tool_shows_its_review_everywhere(client: Client, hidden_review):
    tool = Tool.objects.get(pk=hidden_review.tool_id)
    tool.status = Tool.Status.PUBLISHED
    tool.save()

    pages = surfaces(client, hidden_review)

    for surface in ["review list", "feed", "author page", "review page", "tool page"]:
        assert "Our verdict on a draft" in pages[surface], surface
    assert "draft-verdict" in pages["sitemap"]


def test_a_discontinued_tools_review_stays_readable(client: Client):
    tool = ToolFactory(status=Tool.Status.DISCONTINUED)
    review = ReviewFactory(tool=tool, headline="Looking back")

    assert "Looking back" in client.get(reverse("editorial:review_list")).text
    assert client.get(review.get_absolute_url()).status_code == 200


# The score and "reviewed" follow the current published review.


def test_moving_a_review_moves_the_score_and_the_reviewed_status(client: Client):
    first = ToolFactory(name="First")
    second = ToolFactory(name="Second")
    review = ReviewFactory(tool=first, score_overall=5)
    assert card_names(client.get(CATALOGUE, {"score": "4"})) == ["First"]

    review.tool = second
    review.save()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.review_score is None
    assert second.review_score == 5
    assert card_names(client.get(CATALOGUE, {"score": "4"})) == ["Second"]
    assert card_names(client.get(CATALOGUE, {"score": "1"})) == ["Second"]


def test_moving_a_review_in_the_admin_clears_the_old_tools_score(senior_client: Client):
    first = ToolFactory(name="First")
    second = ToolFactory(name="Second")
    review = ReviewFactory(tool=first, score_overall=4)
    url = reverse("admin:editorial_review_change", args=[review.pk])
    data = form_data(senior_client.get(url))
    data["tool"] = str(second.pk)

    response = senior_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    first.refresh_from_db()
    assert first.review_score is None
    assert Tool.objects.get(pk=second.pk).review_score == 4


def test_unpublishing_a_review_removes_the_tool_from_the_reviewed_filter(client: Client):
    review = ReviewFactory(tool=ToolFactory(name="Once reviewed"), score_overall=4)
    assert card_names(client.get(CATALOGUE, {"score": "1"})) == ["Once reviewed"]

    review.status = Review.Status.DRAFT
    review.published_at = None
    review.save()

    assert card_names(client.get(CATALOGUE, {"score": "1"})) == []


def test_deleting_the_only_review_clears_the_score():
    review = ReviewFactory(score_overall=3)
    tool = review.tool

    review.delete()

    tool.refresh_from_db()
    assert tool.review_score is None
