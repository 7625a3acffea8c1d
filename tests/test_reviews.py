"""Reviews: sanitised Markdown, the publishing gate at every access level, public pages."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editorial.markdown import render_markdown
from editorial.models import Review
from tests.editorial_factories import ReviewFactory
from tests.factories import ToolFactory, UserFactory

pytestmark = pytest.mark.django_db


def review_form(tool, **overrides) -> dict:
    data = {
        "tool": tool.pk,
        "headline": "Fast drafts, thin research",
        "slug": "fast-drafts-thin-research",
        "status": "draft",
        "verdict": "Good for first drafts.",
        "body": "Some **bold** words.",
        "best_for": "",
        "not_for": "",
        "pros": "",
        "cons": "",
        "score_quality": 4,
        "score_ease": 5,
        "score_value": 3,
        "score_integration": 2,
        "score_rights": 3,
        "score_overall": 4,
        "plan_tested": "Pro",
        "version_tested": "",
        "method": "hands_on",
        "tested_on": "2026-10-01",
    }
    return {**data, **overrides}


# The sanitiser.


def test_markdown_is_rendered():
    html = render_markdown("## Heading\n\nSome *emphasis* and [a link](https://example.com/).")

    assert "<h2>Heading</h2>" in html
    assert "<em>emphasis</em>" in html
    assert 'href="https://example.com/"' in html
    assert 'rel="noopener nofollow"' in html


def test_sanitiser_strips_scripts_with_their_content():
    html = render_markdown("Hello <script>alert('x')</script> world")

    assert "<script" not in html
    assert "alert" not in html


def test_sanitiser_strips_event_handlers():
    html = render_markdown('<img src="x" onerror="alert(1)"> <b onclick="alert(2)">hi</b>')

    assert "onerror" not in html
    assert "onclick" not in html
    assert "<img" not in html


def test_sanitiser_strips_javascript_links():
    html = render_markdown(
        '[click](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)">two</a> '
        '<a href="data:text/html,hi">three</a>'
    )

    assert "javascript" not in html.lower()
    assert "data:" not in html


def test_sanitiser_drops_styles_and_iframes():
    html = render_markdown(
        '<style>p{}</style><iframe src="https://e.com"></iframe><p style="x">t</p>'
    )

    assert "<style" not in html
    assert "<iframe" not in html
    assert "style=" not in html


# The model.


def test_a_score_outside_one_to_five_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(score_rights=6)


def test_a_published_review_needs_a_publication_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(status=Review.Status.PUBLISHED, published_at=None)


def test_publish_keeps_the_first_publication_date():
    first = timezone.now() - datetime.timedelta(days=30)
    review = ReviewFactory(published_at=first)

    review.publish()

    assert review.published_at == first


def test_pros_and_cons_are_one_per_line():
    review = ReviewFactory.build(pros="- Fast\n\n* Cheap \n", cons="")

    assert review.pros_list == ["Fast", "Cheap"]
    assert review.cons_list == []


# Public pages.


def test_the_list_shows_published_reviews_newest_first(client: Client):
    now = timezone.now()
    older = ReviewFactory(published_at=now - datetime.timedelta(days=2))
    newer = ReviewFactory(published_at=now)
    ReviewFactory(status=Review.Status.DRAFT)
    ReviewFactory(status=Review.Status.IN_REVIEW)

    response = client.get(reverse("editorial:review_list"))

    assert response.status_code == 200
    assert list(response.context["reviews"]) == [newer, older]


def test_the_list_is_paginated(client: Client):
    ReviewFactory.create_batch(21)

    first = client.get(reverse("editorial:review_list"))
    second = client.get(reverse("editorial:review_list"), {"page": "2"})

    assert len(first.context["reviews"]) == 20
    assert len(second.context["reviews"]) == 1
    assert 'rel="next"' in first.text


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1", "1e9", "' OR 1=1"])
def test_a_garbage_page_number_is_not_found_rather_than_an_error(client: Client, page: str):
    ReviewFactory()

    response = client.get(reverse("editorial:review_list"), {"page": page})

    assert response.status_code == 404


def test_a_published_review_page_shows_scores_body_and_disclosure(client: Client):
    review = ReviewFactory(body="## Setup\n\nIt <script>alert(1)</script> worked.")

    response = client.get(review.get_absolute_url())

    assert response.status_code == 200
    assert "<h2>Setup</h2>" in response.text
    assert "<script>alert" not in response.text
    assert "No vendor pays for a review" in response.text
    assert "on the Pro plan" in response.text
    assert review.tool.name in response.text


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_unpublished_reviews_are_hidden_from_anonymous_visitors(client: Client, status: str):
    review = ReviewFactory(status=status)

    assert client.get(review.get_absolute_url()).status_code == 404


def test_unpublished_reviews_are_hidden_from_signed_in_visitors(client: Client):
    client.force_login(UserFactory())
    review = ReviewFactory(status=Review.Status.DRAFT)

    assert client.get(review.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("status", ["draft", "in_review"])
def test_staff_preview_unpublished_reviews(editor_client: Client, status: str):
    review = ReviewFactory(status=status)

    response = editor_client.get(review.get_absolute_url())

    assert response.status_code == 200
    assert "Preview" in response.text


def test_the_author_page_lists_only_their_published_reviews(client: Client):
    mine = ReviewFactory()
    ReviewFactory(author=mine.author, status=Review.Status.DRAFT)
    ReviewFactory()

    response = client.get(reverse("editorial:author", args=[mine.author.username]))

    assert response.status_code == 200
    assert list(response.context["reviews"]) == [mine]


def test_an_author_without_published_reviews_has_no_page(client: Client, editor):
    ReviewFactory(author=editor, status=Review.Status.DRAFT)

    assert client.get(reverse("editorial:author", args=[editor.username])).status_code == 404
    assert client.get(reverse("editorial:author", args=["nobody-at-all"])).status_code == 404


def test_the_feed_is_atom_with_published_reviews_only(client: Client):
    published = ReviewFactory(verdict="Use it <b>now</b>.")
    draft = ReviewFactory(status=Review.Status.DRAFT)

    response = client.get(reverse("editorial:review_feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert published.headline in response.text
    assert draft.headline not in response.text
    # The verdict is plain text, so its markup arrives escaped twice over in the XML.
    assert "&amp;lt;b&amp;gt;" in response.text


def test_the_tool_page_leads_with_the_latest_published_review(client: Client):
    tool = ToolFactory()
    now = timezone.now()
    ReviewFactory(tool=tool, headline="Old take", published_at=now - datetime.timedelta(days=9))
    ReviewFactory(tool=tool, headline="Fresh take", published_at=now, score_overall=5)
    ReviewFactory(tool=tool, headline="Unfinished take", status=Review.Status.DRAFT)

    response = client.get(tool.get_absolute_url())

    assert "Our review: Fresh take" in response.text
    assert "Old take" not in response.text
    assert "Unfinished take" not in response.text
    assert "No vendor pays for a review" in response.text
    assert "css/editorial.css" in response.text


def test_the_tool_page_without_a_review_shows_no_review(client: Client):
    tool = ToolFactory()

    response = client.get(tool.get_absolute_url())

    assert response.status_code == 200
    assert "Our review" not in response.text


def test_the_lead_review_costs_one_query_and_no_review_none(client: Client):
    plain = ToolFactory()
    reviewed = ReviewFactory().tool
    client.get(plain.get_absolute_url())  # builds the facet index once, outside the count

    with CaptureQueriesContext(connection) as without:
        client.get(plain.get_absolute_url())
    with CaptureQueriesContext(connection) as with_review:
        client.get(reviewed.get_absolute_url())

    def review_queries(ctx: CaptureQueriesContext) -> int:
        return len([q for q in ctx.captured_queries if "editorial_review" in q["sql"]])

    assert review_queries(with_review) == 1
    assert review_queries(without) == 0
    assert len(with_review.captured_queries) == len(without.captured_queries) + 1


def test_review_list_queries_do_not_grow_with_reviews(
    client: Client, django_assert_max_num_queries
):
    # Each budget includes the one catalogue-version read behind HTTP validators.
    ReviewFactory.create_batch(3)
    with django_assert_max_num_queries(4):
        client.get(reverse("editorial:review_list"))
    ReviewFactory.create_batch(15)
    with django_assert_max_num_queries(4):
        client.get(reverse("editorial:review_list"))


def test_review_detail_and_feed_and_author_pages_have_fixed_budgets(
    client: Client, django_assert_max_num_queries
):
    review = ReviewFactory()
    ReviewFactory.create_batch(5, author=review.author)

    with django_assert_max_num_queries(2):
        client.get(review.get_absolute_url())
    with django_assert_max_num_queries(2):
        client.get(reverse("editorial:review_feed"))
    with django_assert_max_num_queries(5):
        client.get(reverse("editorial:author", args=[review.author.username]))


# The admin's publishing gate, at every level.


def test_anonymous_visitors_are_sent_to_log_in(client: Client):
    response = client.get(reverse("admin:editorial_review_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_the_editors_group_cannot_see_reviews(client: Client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse("admin:editorial_review_changelist")).status_code == 403


def test_an_editor_writes_a_draft_and_is_its_author(editor_client: Client, editor):
    tool = ToolFactory()

    response = editor_client.post(reverse("admin:editorial_review_add"), review_form(tool))

    assert response.status_code == 302, response.context["adminform"].form.errors
    review = Review.objects.get()
    assert review.author == editor
    assert review.status == Review.Status.DRAFT


def test_an_editor_cannot_choose_published(editor_client: Client):
    tool = ToolFactory()

    page = editor_client.get(reverse("admin:editorial_review_add"))
    response = editor_client.post(
        reverse("admin:editorial_review_add"), review_form(tool, status="published")
    )

    assert 'value="published"' not in page.text
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Review.objects.exists()


def test_an_editor_submits_a_draft_for_review(editor_client: Client):
    review = ReviewFactory(status=Review.Status.DRAFT)

    editor_client.post(
        reverse("admin:editorial_review_changelist"),
        {"action": "submit_for_review", "_selected_action": [review.pk]},
    )

    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW


def test_the_publish_action_does_nothing_for_an_editor(editor_client: Client):
    review = ReviewFactory(status=Review.Status.IN_REVIEW)

    page = editor_client.get(reverse("admin:editorial_review_changelist"))
    editor_client.post(
        reverse("admin:editorial_review_changelist"),
        {"action": "publish", "_selected_action": [review.pk]},
    )

    assert 'value="publish"' not in page.text
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW


def test_an_editor_cannot_change_a_published_review(editor_client: Client):
    review = ReviewFactory()
    url = reverse("admin:editorial_review_change", args=[review.pk])

    page = editor_client.get(url)
    response = editor_client.post(url, review_form(review.tool, headline="Rewritten"))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.headline != "Rewritten"


def test_save_model_refuses_publishing_without_the_permission(editor):
    request = RequestFactory().post("/")
    request.user = editor
    review = ReviewFactory.build(status=Review.Status.PUBLISHED, tool=ToolFactory(), author=editor)

    with pytest.raises(PermissionDenied):
        site.get_model_admin(Review).save_model(request, review, None, change=False)


def test_a_senior_editor_publishes_with_the_action(senior_client: Client):
    review = ReviewFactory(status=Review.Status.IN_REVIEW)

    senior_client.post(
        reverse("admin:editorial_review_changelist"),
        {"action": "publish", "_selected_action": [review.pk]},
    )

    review.refresh_from_db()
    assert review.status == Review.Status.PUBLISHED
    assert review.published_at is not None


def test_a_published_review_reaches_the_tool_page_and_the_feed(senior_client: Client):
    review = ReviewFactory(status=Review.Status.IN_REVIEW, headline="Worth the money")
    senior_client.post(
        reverse("admin:editorial_review_changelist"),
        {"action": "publish", "_selected_action": [review.pk]},
    )
    visitor = Client()

    assert "Worth the money" in visitor.get(review.tool.get_absolute_url()).text
    assert "Worth the money" in visitor.get(reverse("editorial:review_feed")).text


@pytest.mark.parametrize("who", ["senior", "superuser"])
def test_publishers_publish_from_the_form(who, senior_client, superuser_client):
    client = {"senior": senior_client, "superuser": superuser_client}[who]
    tool = ToolFactory()
    author = UserFactory(is_staff=True)

    response = client.post(
        reverse("admin:editorial_review_add"),
        review_form(
            tool, status="published", author=author.pk, published_at_0="", published_at_1=""
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    review = Review.objects.get()
    assert review.status == Review.Status.PUBLISHED
    assert review.published_at is not None
    assert review.author == author


def test_a_senior_editor_edits_a_published_review(senior_client: Client):
    review = ReviewFactory()
    url = reverse("admin:editorial_review_change", args=[review.pk])
    data = review_form(
        review.tool,
        headline="Rewritten",
        slug=review.slug,
        status="published",
        author=review.author.pk,
        published_at_0=review.published_at.date().isoformat(),
        published_at_1=review.published_at.strftime("%H:%M:%S"),
    )

    response = senior_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    review.refresh_from_db()
    assert review.headline == "Rewritten"


@pytest.mark.parametrize("view", ["changelist", "add"])
def test_review_admin_pages_load_for_every_staff_level(
    view, editor_client, senior_client, superuser_client
):
    ReviewFactory()
    for client in (editor_client, senior_client, superuser_client):
        assert client.get(reverse(f"admin:editorial_review_{view}")).status_code == 200


def test_review_admin_search_finds_by_tool_name(editor_client: Client):
    wanted = ReviewFactory(tool=ToolFactory(name="Zebracorn"))
    ReviewFactory()

    response = editor_client.get(reverse("admin:editorial_review_changelist"), {"q": "zebra"})

    assert list(response.context["cl"].result_list) == [wanted]
