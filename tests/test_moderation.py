"""Moderation leaves a trail, and duplicates are matched instead of queued twice."""

import pytest
from django.core.cache import cache
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from catalog.models import Tool
from editorial.models import Submission
from tests.admin_forms import form_data
from tests.editorial_factories import SubmissionFactory
from tests.factories import ToolFactory

pytestmark = pytest.mark.django_db

SUBMIT = reverse("editorial:submit")
QUEUE = reverse("admin:editorial_submission_changelist")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def suggest(client: Client, **fields):
    data = {
        "name": "Notewise",
        "website": "https://notewise.example.org/",
        "pitch": "Turns meetings into action lists.",
        "pricing_model": "subscription",
        "email": "",
        "message": "",
        "nickname": "",
        **fields,
    }
    return client.post(SUBMIT, data)


def act(client: Client, action: str, *submissions, **extra):
    return client.post(
        QUEUE,
        {"action": action, "_selected_action": [s.pk for s in submissions], **extra},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Who decided what, when and why.


def test_approving_records_the_editor_and_the_time(editor_client: Client, editor):
    submission = SubmissionFactory()

    act(editor_client, "approve", submission)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert submission.decided_by == editor
    assert submission.decided_at is not None
    assert Version.objects.get_for_object(submission).first().revision.user == editor


def test_rejecting_records_the_editor_and_the_reason(editor_client: Client, editor):
    submission = SubmissionFactory()

    act(editor_client, "reject", submission, apply="1", reason="Not an AI tool.")

    submission.refresh_from_db()
    assert (submission.status, submission.rejection_reason) == ("rejected", "Not an AI tool.")
    assert submission.decided_by == editor


def test_the_edit_form_refuses_a_rejection_without_a_reason(editor_client: Client):
    submission = SubmissionFactory()
    url = reverse("admin:editorial_submission_change", args=[submission.pk])
    data = form_data(editor_client.get(url))
    data.update(status="rejected", rejection_reason="  ")

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "a rejection needs a reason" in response.text, response.context["adminform"].form.errors
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PENDING


def test_the_edit_form_rejects_with_a_reason_and_records_who(editor_client: Client, editor):
    submission = SubmissionFactory()
    url = reverse("admin:editorial_submission_change", args=[submission.pk])
    data = form_data(editor_client.get(url))
    data.update(status="rejected", rejection_reason="Already covered by another entry.")

    response = editor_client.post(url, data)

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.decided_by == editor
    assert submission.rejection_reason == "Already covered by another entry."


def test_approving_from_the_edit_form_makes_the_draft_like_the_action(editor_client: Client):
    submission = SubmissionFactory(name="Formwise", website="https://formwise.example.org/")
    url = reverse("admin:editorial_submission_change", args=[submission.pk])
    data = form_data(editor_client.get(url))
    data["status"] = "approved"

    editor_client.post(url, data)

    submission.refresh_from_db()
    assert submission.created_tool.name == "Formwise"
    assert submission.created_tool.status == Tool.Status.DRAFT


def test_the_database_refuses_a_rejection_without_a_reason():
    submission = SubmissionFactory()
    Submission.objects.filter(pk=submission.pk).update(decided_at=submission.created)

    with pytest.raises(IntegrityError):
        Submission.objects.filter(pk=submission.pk).update(status="rejected", rejection_reason="")


def test_a_decided_submission_cannot_be_reopened_in_the_form(editor_client: Client):
    submission = SubmissionFactory()
    act(editor_client, "mark_spam", submission)

    page = editor_client.get(reverse("admin:editorial_submission_change", args=[submission.pk]))

    assert "status" not in page.context["adminform"].form.fields


def test_editors_mark_submissions_as_spam(editor_client: Client, editor):
    spam = SubmissionFactory(name="Cheap pills")

    response = act(editor_client, "mark_spam", spam)

    spam.refresh_from_db()
    assert messages_of(response) == ["1 submission(s) marked as spam."]
    assert (spam.status, spam.decided_by) == (Submission.Status.SPAM, editor)


# Duplicates are matched, and the visitor is told.


def test_a_suggestion_with_a_listed_name_on_another_domain_is_matched(client: Client):
    tool = ToolFactory(name="Note-Wise", website="https://other.example.com/")

    response = suggest(client, name="notewise")

    assert tool.get_absolute_url() in response.text
    assert not Submission.objects.exists()


def test_a_tool_under_another_path_of_a_shared_domain_is_not_a_match(client: Client):
    ToolFactory(name="Firefly", website="https://www.bigsoft.example/products/firefly/")

    response = suggest(client, name="Express", website="https://bigsoft.example/express/")

    assert response.status_code == 302
    assert Submission.objects.count() == 1


def test_a_second_suggestion_of_the_same_tool_is_counted_not_queued(client: Client):
    first = SubmissionFactory(name="Notewise", website="https://notewise.example.org/")

    response = suggest(client, website="https://www.notewise.example.org/pricing")

    assert "Someone suggested it already" in response.text
    assert Submission.objects.count() == 1
    first.refresh_from_db()
    assert first.copies == 1


def test_approving_a_suggestion_for_a_tool_we_have_links_it_and_makes_no_second_draft(
    editor_client: Client,
):
    draft = ToolFactory(
        name="Notewise", website="https://notewise.example.org/", status=Tool.Status.DRAFT
    )
    submission = SubmissionFactory(name="Notewise", website="https://notewise.example.org/app")

    response = act(editor_client, "approve", submission)

    submission.refresh_from_db()
    assert submission.created_tool == draft
    assert Tool.objects.count() == 1
    assert any(
        m.startswith("Matched to the existing tool <a") and m.endswith("no new draft was made.")
        for m in messages_of(response)
    )


def test_identical_reports_on_one_tool_are_grouped(client: Client):
    tool = ToolFactory()
    url = reverse("editorial:report", kwargs={"slug": tool.slug})
    report = {"reason": "wrong_price", "message": "The Pro plan is now 25.", "email": ""}

    client.post(url, report)
    second = client.post(url, {**report, "message": "the pro plan  is now 25."}, follow=True)
    client.post(url, {**report, "message": "The free plan went away."})

    reports = Submission.objects.filter(tool=tool).order_by("pk")
    assert [r.copies for r in reports] == [1, 0]
    assert "Someone reported the same thing" in second.text


def test_the_queue_shows_copies_and_who_decided(editor_client: Client, editor):
    waiting = SubmissionFactory(copies=2)
    decided = SubmissionFactory()
    act(editor_client, "mark_spam", decided)

    response = editor_client.get(QUEUE)

    assert response.status_code == 200
    assert editor.username in response.text
    assert waiting in response.context["cl"].result_list
