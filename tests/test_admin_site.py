"""The editors' admin as a whole: its name, dashboard, 403 page, pickers and password reset."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Tool
from editorial.models import LinkCheck, Review, Submission
from tests.editorial_factories import LinkCheckFactory, ReviewFactory, SubmissionFactory
from tests.factories import ToolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_header_names_the_site(editor_client: Client):
    response = editor_client.get(reverse("admin:index"))

    assert "Toolfinder editors" in response.text
    assert "Django administration" not in response.text


def test_the_dashboard_counts_what_is_waiting(editor_client: Client, django_assert_max_num_queries):
    today = timezone.localdate()
    SubmissionFactory.create_batch(2)
    reported = ToolFactory(checked_on=today)
    SubmissionFactory(kind=Submission.Kind.PROBLEM, tool=reported, reason="wrong_price")
    SubmissionFactory(status=Submission.Status.SPAM)
    ReviewFactory(status=Review.Status.IN_REVIEW, tool=ToolFactory(checked_on=today))
    ToolFactory()  # never checked: the one tool to check again
    LinkCheckFactory(state=LinkCheck.State.BROKEN, tool=ToolFactory(checked_on=today))
    LinkCheckFactory(state=LinkCheck.State.UNREACHABLE, tool=ToolFactory(checked_on=today))

    with django_assert_max_num_queries(20):
        response = editor_client.get(reverse("admin:index"))

    counts = {item.label: item.count for item in response.context["waiting"]}
    assert counts == {
        "suggestions to moderate": 2,
        "problem reports to moderate": 1,
        "reviews waiting to be published": 1,
        "public tools to check again": 1,
        "broken links": 1,
    }
    assert "?status__exact=pending&amp;kind__exact=new_tool" in response.text


def test_each_dashboard_link_opens_its_queue(editor_client: Client):
    response = editor_client.get(reverse("admin:index"))

    for item in response.context["waiting"]:
        assert editor_client.get(item.url).status_code == 200, item.label


def test_an_editors_403_stays_in_the_admin_and_names_the_missing_permission(
    editor_client: Client,
):
    response = editor_client.get(reverse("admin:auth_user_changelist"))

    assert response.status_code == 403
    assert "Toolfinder editors" in response.text
    assert "auth.view_user" in response.text
    assert "log in" not in response.text.lower()


def test_a_refused_publish_says_why(editor_client: Client):
    review = ReviewFactory(status=Review.Status.PUBLISHED)

    response = editor_client.post(
        reverse("admin:editorial_review_delete", args=[review.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert "editorial.delete_review" in response.text


def test_anonymous_visitors_still_go_to_the_login_page(client: Client):
    response = client.get(reverse("admin:auth_user_changelist"))

    assert response.status_code == 302


def test_pickers_tell_apart_tools_with_the_same_name(editor_client: Client):
    ToolFactory(name="Echo", slug="echo")
    ToolFactory(name="Echo", slug="echo-voice", status=Tool.Status.DRAFT)

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "editorial", "model_name": "review", "field_name": "tool", "term": "echo"},
    )

    labels = sorted(r["text"] for r in response.json()["results"])
    assert labels == ["Echo (draft, echo-voice)", "Echo (published, echo)"]


# Password reset.


def test_the_login_page_offers_a_password_reset(client: Client):
    response = client.get(reverse("admin:login"))

    assert reverse("admin_password_reset") in response.text


def test_an_editor_resets_a_forgotten_password(client: Client):
    UserFactory(username="ada", email="ada@example.com", is_staff=True)

    page = client.get(reverse("admin_password_reset"))
    client.post(reverse("admin_password_reset"), {"email": "ada@example.com"})
    link = re.search(r"https?://[^/]+(/\S+/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
        follow=True,
    )

    assert "Toolfinder editors" in page.text
    assert done.status_code == 200
    assert User.objects.get(username="ada").check_password("a-long-new-passphrase")


def test_a_visitors_address_gets_no_reset_email(client: Client):
    UserFactory(username="visitor", email="v@example.com", is_staff=False)

    response = client.post(reverse("admin_password_reset"), {"email": "v@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []


# Reviews: preview and deleting one's own drafts.


def test_the_preview_renders_and_sanitises_like_the_public_page(editor_client: Client):
    body = "## Verdict\n\n**Good**<script>alert(1)</script> [x](javascript:alert(1))"

    response = editor_client.post(reverse("admin:editorial_review_preview"), {"body": body})

    html = response.json()["html"]
    assert "<h2>Verdict</h2>" in html and "<strong>Good</strong>" in html
    assert "script" not in html and "javascript" not in html
    review = ReviewFactory(body=body)
    assert html == str(review.body_html)


def test_the_preview_is_for_staff_only(client: Client):
    response = client.post(reverse("admin:editorial_review_preview"), {"body": "Hi"})

    assert response.status_code == 302


def test_an_editor_deletes_their_own_draft_but_not_someone_elses(editor_client: Client, editor):
    mine = ReviewFactory(author=editor, status=Review.Status.DRAFT)
    theirs = ReviewFactory(status=Review.Status.DRAFT)
    my_submitted = ReviewFactory(author=editor, status=Review.Status.IN_REVIEW)

    deleted = editor_client.post(
        reverse("admin:editorial_review_delete", args=[mine.pk]), {"post": "yes"}
    )
    refused = editor_client.post(
        reverse("admin:editorial_review_delete", args=[theirs.pk]), {"post": "yes"}
    )
    refused_too = editor_client.post(
        reverse("admin:editorial_review_delete", args=[my_submitted.pk]), {"post": "yes"}
    )

    assert deleted.status_code == 302
    assert (refused.status_code, refused_too.status_code) == (403, 403)
    assert set(Review.objects.all()) == {theirs, my_submitted}
