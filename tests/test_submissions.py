"""Visitors' suggestions and problem reports: abuse controls, the queue, approval, rejection."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from catalog.models import Tool
from editorial import ratelimit
from editorial.models import Submission
from tests.editorial_factories import SeniorEditorFactory, SubmissionFactory
from tests.factories import EditorFactory, ModalityFactory, ToolFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBMIT = reverse("editorial:submit")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def suggestion(**overrides) -> dict:
    data = {
        "name": "Notewise",
        "website": "https://notewise.example.org/",
        "pitch": "Turns meeting recordings into action lists.",
        "pricing_model": "subscription",
        "email": "",
        "message": "",
        "nickname": "",
    }
    return {**data, **overrides}


def report(**overrides) -> dict:
    return {"reason": "wrong_price", "message": "The Pro plan is now 25.", "email": "", **overrides}


# Suggesting a tool.


def test_the_form_loads_with_a_csrf_token_and_a_hidden_honeypot(client: Client):
    response = client.get(SUBMIT)

    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.text
    assert 'class="hp" aria-hidden="true"' in response.text
    assert "css/editorial.css" in response.text


def test_a_suggestion_waits_in_the_queue(client: Client):
    image = ModalityFactory(name="Image")

    response = client.post(SUBMIT, suggestion(modalities=[image.slug]), REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 302
    assert response["Location"] == reverse("editorial:submit_thanks")
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.PENDING
    assert submission.kind == Submission.Kind.NEW_TOOL
    assert list(submission.modalities.all()) == [image]
    assert len(submission.client_hash) == 64
    assert "10.0.0.1" not in submission.client_hash


def test_the_form_refuses_posts_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post(SUBMIT, suggestion())

    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_a_filled_honeypot_saves_nothing_but_looks_like_success(client: Client):
    response = client.post(SUBMIT, suggestion(nickname="I am a bot"))

    assert response.status_code == 302
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("website", "not a url"),
        ("website", "javascript:alert(1)"),
        ("website", "ftp://files.example.org/"),
        ("name", "x" * 121),
        ("pitch", "y" * 201),
        ("message", "z" * 2001),
        ("email", "nobody"),
        ("pricing_model", "free-money"),
        ("modalities", "not-a-modality"),
        ("modalities", "9" * 40),
        ("name", ""),
    ],
)
def test_bad_input_re_renders_with_errors_and_keeps_what_was_typed(
    client: Client, field: str, value: str
):
    response = client.post(SUBMIT, suggestion(**{"pitch": "Typed <pitch>", field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Typed &lt;pitch&gt;" in response.text or field == "pitch"
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": ["a", "b"], "website": ["x"]},
        {"modalities": ["1", "1", "99999"], "pricing_model": ""},
        {"website": "https://" + "a" * 5000 + ".com"},
        {"name": "\u202e\ufeff", "website": "https://例え.jp/", "pitch": "ok"},
    ],
)
def test_garbage_never_causes_a_server_error(client: Client, data: dict):
    assert client.post(SUBMIT, data).status_code in (200, 302)
    assert client.get(SUBMIT, data).status_code == 200


def test_visitor_text_is_never_rendered_as_html(client: Client, superuser):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(SUBMIT, suggestion(name=payload[:120], pitch=payload[:200], message=payload))
    submission = Submission.objects.get()
    client.force_login(superuser)

    change = client.get(reverse("admin:editorial_submission_change", args=[submission.pk]))
    queue = client.get(reverse("admin:editorial_submission_changelist"))

    for response in (change, queue):
        assert "<script>alert" not in response.text
        assert "<img src=x" not in response.text


def test_a_listed_domain_points_to_the_existing_tool(client: Client):
    tool = ToolFactory(name="Notewise", website="https://www.notewise.example.org/home")

    response = client.post(SUBMIT, suggestion(website="https://notewise.example.org/pricing"))

    assert response.status_code == 200
    assert tool.get_absolute_url() in response.text
    assert not Submission.objects.exists()


def test_a_draft_on_the_same_domain_is_matched_without_revealing_itself(client: Client):
    ToolFactory(
        name="Secret Draft", website="https://notewise.example.org/", status=Tool.Status.DRAFT
    )

    response = client.post(SUBMIT, suggestion())

    assert response.status_code == 200
    assert "already on our list" in response.text
    assert "Secret Draft" not in response.text
    assert not Submission.objects.exists()


def test_a_similar_but_different_domain_is_not_a_match(client: Client):
    ToolFactory(website="https://notewise.example.org.evil.test/")

    assert client.post(SUBMIT, suggestion()).status_code == 302


# Rate limit.


def test_the_sixth_submission_in_an_hour_is_refused_and_keeps_the_input(client: Client):
    for n in range(5):
        client.post(SUBMIT, suggestion(name=f"Tool {n}", website=f"https://t{n}.example.org/"))

    response = client.post(SUBMIT, suggestion(name="Sixth"))

    assert Submission.objects.count() == 5
    assert response.status_code == 429
    assert 'value="Sixth"' in response.text
    assert "try again" in response.text


def test_the_limit_is_per_client(client: Client):
    for n in range(5):
        client.post(
            SUBMIT,
            suggestion(name=f"Tool {n}", website=f"https://t{n}.example.org/"),
            REMOTE_ADDR="10.0.0.1",
        )

    response = client.post(SUBMIT, suggestion(), REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 302


def test_the_limit_resets_when_the_hour_turns(rf):
    request = rf.post("/", REMOTE_ADDR="10.0.0.9")
    start = 1_800_000_000.0
    window = 3600
    for _ in range(5):
        ratelimit.record_hit(request, scope="t", window=window, now=start)

    assert ratelimit.is_limited(request, scope="t", limit=5, window=window, now=start + 10)
    assert not ratelimit.is_limited(request, scope="t", limit=5, window=window, now=start + window)


def test_the_limit_resets_when_the_cache_is_cleared(client: Client):
    for n in range(5):
        client.post(SUBMIT, suggestion(name=f"Tool {n}", website=f"https://t{n}.example.org/"))
    assert client.post(SUBMIT, suggestion()).status_code == 429

    cache.clear()

    assert client.post(SUBMIT, suggestion()).status_code == 302


def test_honeypot_hits_count_towards_the_limit(client: Client):
    for _ in range(5):
        client.post(SUBMIT, suggestion(nickname="bot"))

    assert client.post(SUBMIT, suggestion()).status_code == 429


# Reporting a problem.


def test_the_tool_page_links_to_the_report_form(client: Client):
    tool = ToolFactory()

    response = client.get(tool.get_absolute_url())

    assert reverse("editorial:report", args=[tool.slug]) in response.text


def test_a_report_reaches_the_queue_and_thanks_the_visitor(client: Client):
    tool = ToolFactory()

    response = client.post(reverse("editorial:report", args=[tool.slug]), report(), follow=True)

    submission = Submission.objects.get()
    assert submission.kind == Submission.Kind.PROBLEM
    assert submission.tool == tool
    assert submission.reason == "wrong_price"
    assert "An editor will look into it" in response.text


def test_a_report_without_a_message_re_renders(client: Client):
    tool = ToolFactory()

    response = client.post(
        reverse("editorial:report", args=[tool.slug]), report(message="", email="me@example.com")
    )

    assert response.status_code == 200
    assert "message" in response.context["form"].errors
    assert 'value="me@example.com"' in response.text


@pytest.mark.parametrize("reason", ["", "hacked", "wrong_price'--"])
def test_an_unknown_reason_is_an_error_not_a_crash(client: Client, reason: str):
    tool = ToolFactory()

    response = client.post(reverse("editorial:report", args=[tool.slug]), report(reason=reason))

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors


def test_drafts_and_unknown_tools_cannot_be_reported(client: Client):
    draft = ToolFactory(status=Tool.Status.DRAFT)

    assert client.get(reverse("editorial:report", args=[draft.slug])).status_code == 404
    assert client.get(reverse("editorial:report", args=["no-such-tool"])).status_code == 404


# The moderation queue.


def queue_action(client: Client, action: str, *submissions, **extra):
    return client.post(
        reverse("admin:editorial_submission_changelist"),
        {"action": action, "_selected_action": [s.pk for s in submissions], **extra},
    )


def test_anonymous_visitors_and_plain_users_cannot_see_the_queue(client: Client):
    url = reverse("admin:editorial_submission_changelist")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("level", ["editor", "senior", "superuser"])
def test_the_queue_and_a_submission_load_for_each_staff_level(client: Client, level, superuser):
    user = {
        "editor": EditorFactory,
        "senior": SeniorEditorFactory,
        "superuser": lambda: superuser,
    }[level]()
    client.force_login(user)
    submission = SubmissionFactory()

    queue = client.get(reverse("admin:editorial_submission_changelist"), {"q": submission.name})
    change = client.get(reverse("admin:editorial_submission_change", args=[submission.pk]))

    assert queue.status_code == 200
    assert list(queue.context["cl"].result_list) == [submission]
    assert change.status_code == 200
    assert client.get(reverse("admin:editorial_submission_add")).status_code == 403


def test_approving_a_suggestion_makes_a_prefilled_draft_tool(editor_client: Client, editor):
    ToolFactory(slug="notewise")
    image = ModalityFactory(name="Image")
    submission = SubmissionFactory(
        name="Notewise", website="https://notewise.example.org/", pricing_model="usage"
    )
    submission.modalities.set([image])

    queue_action(editor_client, "approve", submission)

    submission.refresh_from_db()
    tool = submission.created_tool
    assert submission.status == Submission.Status.APPROVED
    assert tool.status == Tool.Status.DRAFT
    assert tool.slug == "notewise-2"
    assert tool.website == "https://notewise.example.org/"
    assert tool.pricing_model == "usage"
    assert tool.licence_class == "unclear"
    assert tool.commercial_use == "unclear"
    assert list(tool.output_modalities.all()) == [image]


def test_approving_a_report_marks_it_handled_without_a_new_tool(editor_client: Client):
    tool = ToolFactory()
    submission = SubmissionFactory(kind="problem", tool=tool, reason="dead_link", name="")

    queue_action(editor_client, "approve", submission)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert submission.created_tool is None
    assert Tool.objects.count() == 1


def test_rejecting_asks_for_a_reason_then_records_it(editor_client: Client):
    submission = SubmissionFactory()

    ask = queue_action(editor_client, "reject", submission)
    done = queue_action(editor_client, "reject", submission, apply="1", reason="Not an AI tool.")

    assert ask.status_code == 200
    assert "Why reject?" in ask.text
    assert done.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.REJECTED
    assert submission.rejection_reason == "Not an AI tool."


def test_a_rejection_without_a_reason_is_not_applied(editor_client: Client):
    submission = SubmissionFactory()

    queue_action(editor_client, "reject", submission, apply="1", reason="")

    submission.refresh_from_db()
    assert submission.status == Submission.Status.PENDING


def test_handled_submissions_are_not_approved_again(editor_client: Client):
    submission = SubmissionFactory(status=Submission.Status.REJECTED, rejection_reason="Spam")

    queue_action(editor_client, "approve", submission)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.REJECTED
    assert not Tool.objects.exists()


def test_the_submit_pages_have_fixed_query_budgets(client: Client, django_assert_max_num_queries):
    ModalityFactory.create_batch(8)
    tool = ToolFactory()

    # Budgets include the catalogue-version read behind HTTP validators.
    with django_assert_max_num_queries(3):
        client.get(SUBMIT)
    with django_assert_max_num_queries(2):
        client.get(reverse("editorial:report", args=[tool.slug]))
