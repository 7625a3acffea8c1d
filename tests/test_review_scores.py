"""Editorial scores reach the catalogue: cards, the score filter and the score sort."""

import pytest
from django.urls import reverse

from editorial.models import Review
from tests.editorial_factories import ReviewFactory
from tests.factories import ToolFactory
from tests.pages import card_names

pytestmark = pytest.mark.django_db
URL = reverse("catalog:tool_list")


def names(response) -> list[str]:
    return card_names(response)


def test_publishing_a_review_sets_the_tools_score_and_withdrawing_it_clears_it():
    review = ReviewFactory(score_overall=4)
    review.tool.refresh_from_db()
    assert review.tool.review_score == 4
    review.status = Review.Status.DRAFT
    review.save()
    review.tool.refresh_from_db()
    assert review.tool.review_score is None


def test_the_latest_published_review_sets_the_score():
    first = ReviewFactory(score_overall=2)
    ReviewFactory(tool=first.tool, score_overall=5)
    first.tool.refresh_from_db()
    assert first.tool.review_score == 5


def test_cards_show_the_score(client):
    ReviewFactory(score_overall=4, tool=ToolFactory(name="Reviewed"))
    ToolFactory(name="Unreviewed")
    body = client.get(URL).content.decode()
    assert body.count("/5<span") == 1
    assert "4/5" in body


def test_reviewed_only_and_score_at_least_n(client):
    ReviewFactory(score_overall=5, tool=ToolFactory(name="Great"))
    ReviewFactory(score_overall=3, tool=ToolFactory(name="Fine"))
    ToolFactory(name="Unreviewed")
    assert names(client.get(URL, {"score": "1"})) == ["Fine", "Great"]
    assert names(client.get(URL, {"score": "4"})) == ["Great"]
    counts = {
        o.value: o.count
        for view in client.get(URL).context["browse"].facets
        if view.facet.name == "score"
        for o in view.facet.options
    }
    assert counts == {"1": 2, "3": 2, "4": 1, "5": 1}


def test_sort_by_score_puts_unreviewed_tools_last(client):
    ReviewFactory(score_overall=3, tool=ToolFactory(name="Aardvark"))
    ReviewFactory(score_overall=5, tool=ToolFactory(name="Zebra"))
    ToolFactory(name="Middle")
    assert names(client.get(URL, {"sort": "score"})) == ["Zebra", "Aardvark", "Middle"]
