"""Provenance: how, when, by whom and against which page a tool's facts were obtained."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import derive_primary
from catalog.provenance import Method, Verification, is_homepage, refresh_last_checked
from tests.factories import EditorFactory, ToolFactory, UserFactory, VerificationFactory

pytestmark = pytest.mark.django_db

# Words that claim an editor checked something.
CHECK_CLAIM = re.compile(r"checked by|\bverified\b|hand-checked|fact-checked|editor checked", re.I)
TAG = re.compile(r"<[^>]*>")


def claims_a_check(html: str) -> str | None:
    """The first phrase in the text a reader sees (markup left out) that claims a check."""
    found = CHECK_CLAIM.search(TAG.sub(" ", html))
    return found.group() if found else None


def documented(tool, **kwargs) -> Verification:
    """The demo catalogue's kind of record: written from public documentation."""
    return VerificationFactory(
        tool=tool,
        method=Method.PUBLIC_DOCS,
        checked_by=None,
        as_of=datetime.date(2025, 11, 30),
        source_url="https://vendor.example.com/pricing",
        **kwargs,
    )


# The model.


def test_only_an_editors_check_sets_last_checked():
    tool = ToolFactory()
    documented(tool)
    VerificationFactory(
        tool=tool,
        method=Method.THIRD_PARTY,
        checked_by=None,
        source_url="https://news.example.org/story",
    )
    tool.refresh_from_db()
    assert tool.last_checked is None
    assert tool.is_stale()

    VerificationFactory(tool=tool, as_of=datetime.date(2026, 3, 1))
    VerificationFactory(tool=tool, as_of=datetime.date(2026, 5, 2), method=Method.VENDOR_CONFIRMED)
    tool.refresh_from_db()
    assert tool.last_checked == datetime.date(2026, 5, 2)


def test_deleting_a_check_moves_last_checked_back():
    tool = ToolFactory(checked_on=datetime.date(2026, 3, 1))
    latest = VerificationFactory(tool=tool, as_of=datetime.date(2026, 6, 1))
    tool.refresh_from_db()
    assert tool.last_checked == datetime.date(2026, 6, 1)

    latest.delete()
    tool.refresh_from_db()
    assert tool.last_checked == datetime.date(2026, 3, 1)


def test_refresh_puts_right_a_last_checked_written_by_hand():
    tool = ToolFactory()
    type(tool).objects.filter(pk=tool.pk).update(last_checked=datetime.date(2026, 1, 1))

    assert refresh_last_checked() == 1
    tool.refresh_from_db()
    assert tool.last_checked is None


def test_a_check_without_a_named_editor_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        VerificationFactory(checked_by=None)


def test_a_record_must_cover_some_facts_and_name_its_page():
    tool = ToolFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        VerificationFactory(
            tool=tool,
            covers_pricing=False,
            covers_rights=False,
            covers_licence=False,
            covers_capabilities=False,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        VerificationFactory(tool=tool, source_url="")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"as_of": timezone.localdate() + datetime.timedelta(days=1)}, "as_of"),
        ({"source_url": "https://vendor.example.com/"}, "source_url"),
        ({"source_url": "ftp://vendor.example.com/pricing.txt"}, "source_url"),
        ({"checked_by": None}, "checked_by"),
        ({"covers_pricing": False, "covers_rights": False}, "covers_pricing"),
    ],
    ids=["future date", "home page", "not http", "no editor", "covers nothing"],
)
def test_validation_explains_what_is_wrong_with_a_check(changes, field):
    check = VerificationFactory.build(
        **{"tool": ToolFactory(), "checked_by": EditorFactory(), "covers_licence": False, **changes}
    )
    if "covers_pricing" in changes:
        check.covers_capabilities = False
    with pytest.raises(ValidationError) as error:
        check.full_clean()
    assert field in error.value.message_dict


def test_a_home_page_is_a_page_without_a_path_or_query():
    assert is_homepage("https://example.com")
    assert is_homepage("https://example.com/")
    assert not is_homepage("https://example.com/pricing")
    assert not is_homepage("https://example.com/?page=terms")


def test_the_primary_job_is_the_editors_choice_or_else_the_first_tag():
    assert derive_primary("video", ["text", "video"]) == "video"
    assert derive_primary(None, ["text", "video"]) == "text"
    assert derive_primary("", ["audio"]) == "audio"
    assert derive_primary(None, []) is None


# What pages say.


def test_the_tool_page_names_the_editor_the_page_and_the_date(client: Client):
    tool = ToolFactory()
    editor = EditorFactory(first_name="Ada", last_name="Byron")
    VerificationFactory(
        tool=tool,
        checked_by=editor,
        as_of=datetime.date(2026, 11, 3),
        source_url="https://www.vendor.example.com/pricing",
    )

    body = client.get(tool.get_absolute_url()).content.decode()

    assert (
        'Checked by Ada Byron against <a href="https://www.vendor.example.com/pricing" '
        'rel="noopener nofollow">vendor.example.com/pricing</a> on '
        '<time datetime="2026-11-03">3 November 2026</time>.'
    ) in body


def test_a_tool_written_from_documentation_says_so_and_claims_no_check(client: Client):
    tool = ToolFactory()
    documented(tool)

    body = client.get(tool.get_absolute_url()).content.decode()

    assert "Written from public documentation as of" in body
    assert '<time datetime="2025-11">November 2025</time>' in body
    assert "not yet checked against the vendor's current pages" in body
    assert claims_a_check(body) is None


def test_fact_groups_from_different_records_are_told_apart(client: Client):
    tool = ToolFactory()
    documented(tool)
    VerificationFactory(
        tool=tool,
        checked_by=EditorFactory(username="ada"),
        covers_licence=False,
        covers_capabilities=False,
    )

    body = client.get(tool.get_absolute_url()).content.decode()

    assert "<strong>Pricing and rights:</strong> Checked by ada against" in body
    assert "<strong>Licence and capabilities:</strong> Written from public documentation" in body


def test_a_tool_without_records_says_we_do_not_know_where_its_facts_come_from(client: Client):
    body = client.get(ToolFactory().get_absolute_url()).content.decode()

    assert "We have no record yet of where these facts come from." in body


def test_no_page_claims_a_check_that_no_named_editor_made(client: Client):
    tools = [ToolFactory(name=f"Documented {n}") for n in range(3)]
    for tool in tools:
        documented(tool)
    slugs = ",".join(t.slug for t in tools[:2])
    pages = [
        reverse("catalog:home"),
        reverse("catalog:tool_list"),
        reverse("catalog:tool_list") + "?sort=verified",
        tools[0].get_absolute_url(),
        reverse("catalog:compare") + f"?tools={slugs}",
        reverse("catalog:how_we_check"),
        reverse("catalog:tools_feed"),
        reverse("editorial:review_list"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert claims_a_check(response.content.decode()) is None, url


def test_the_catalogue_offers_the_recently_checked_sort_only_once_a_check_exists(client: Client):
    documented(ToolFactory())
    assert "Recently checked" not in client.get(reverse("catalog:tool_list")).content.decode()

    ToolFactory(checked_on=timezone.localdate())
    assert "Recently checked" in client.get(reverse("catalog:tool_list")).content.decode()


def test_how_we_check_counts_checked_and_documented_tools(client: Client):
    documented(ToolFactory())
    documented(ToolFactory())
    ToolFactory(checked_on=timezone.localdate())
    ToolFactory(status="draft", checked_on=timezone.localdate())

    response = client.get(reverse("catalog:how_we_check"))

    counts = response.context["counts"]
    assert (counts.published, counts.checked, counts.documented) == (3, 1, 2)
    assert "What “unclear” means" in response.content.decode()


# How editors record checks.


def test_an_editor_records_a_check_on_the_tools_admin_page(editor_client: Client, editor):
    from tests.test_history import form_data

    tool = ToolFactory()
    url = reverse("admin:catalog_tool_change", args=[tool.pk])
    data = form_data(editor_client.get(url))
    data.update(
        {
            "verifications-TOTAL_FORMS": "1",
            "verifications-0-method": Method.VENDOR_PAGE,
            "verifications-0-as_of": timezone.localdate().isoformat(),
            "verifications-0-checked_by": str(editor.pk),
            "verifications-0-source_url": "https://vendor.example.com/pricing",
            "verifications-0-covers_pricing": "on",
            "verifications-0-notes": "Pro went from 20 to 25 a month; fixed.",
        }
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.last_checked == timezone.localdate()
    check = tool.verifications.get()
    assert (check.checked_by, check.groups) == (editor, ["pricing"])


def test_the_tool_form_has_no_last_checked_date_to_type(editor_client: Client):
    tool = ToolFactory()
    form = (
        editor_client.get(reverse("admin:catalog_tool_change", args=[tool.pk]))
        .context["adminform"]
        .form
    )
    assert "last_checked" not in form.fields


def test_i_checked_this_today_records_the_editors_check(editor_client: Client, editor):
    tool = ToolFactory(source_url="https://vendor.example.com/pricing")
    freshness = reverse("admin:editorial_tooltoverify_changelist")
    url = reverse("admin:editorial_tooltoverify_record_check", args=[tool.pk])
    assert url in editor_client.get(freshness).content.decode()

    form = editor_client.get(url)
    assert form.context["form"].initial["source_url"] == "https://vendor.example.com/pricing"
    response = editor_client.post(
        url,
        {
            "method": Method.VENDOR_PAGE,
            "source_url": "https://vendor.example.com/pricing",
            "covers_pricing": "on",
            "covers_rights": "on",
            "notes": "Matches.",
        },
        follow=True,
    )

    assert response.status_code == 200
    check = Verification.objects.get(tool=tool)
    assert (check.checked_by, check.as_of) == (editor, timezone.localdate())
    assert tool.pk not in {t.pk for t in response.context["cl"].result_list}


def test_the_same_check_twice_in_a_day_is_refused_with_a_reason(editor_client: Client, editor):
    tool = ToolFactory(source_url="https://vendor.example.com/pricing")
    VerificationFactory(tool=tool, checked_by=editor, source_url=tool.source_url)
    url = reverse("admin:editorial_tooltoverify_record_check", args=[tool.pk])

    response = editor_client.post(
        url, {"method": Method.VENDOR_PAGE, "source_url": tool.source_url, "covers_pricing": "on"}
    )

    assert response.status_code == 200
    assert "already recorded for today" in response.content.decode()
    assert tool.verifications.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"method": Method.VENDOR_PAGE, "source_url": "https://vendor.example.com/"},
        {"method": Method.PUBLIC_DOCS, "source_url": "https://vendor.example.com/docs"},
        {"method": "<script>", "source_url": "javascript:alert(1)"},
        {},
    ],
    ids=["home page", "not a check", "garbage", "empty"],
)
def test_a_bad_check_is_explained_and_saves_nothing(editor_client: Client, data):
    tool = ToolFactory()
    url = reverse("admin:editorial_tooltoverify_record_check", args=[tool.pk])

    response = editor_client.post(url, {**data, "covers_pricing": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Verification.objects.exists()


def test_recording_a_check_needs_the_permission(client: Client):
    tool = ToolFactory()
    url = reverse("admin:editorial_tooltoverify_record_check", args=[tool.pk])
    client.force_login(UserFactory(is_staff=True))

    assert client.get(url).status_code == 403
    assert client.post(url, {"method": Method.VENDOR_PAGE}).status_code == 403
    assert not Verification.objects.exists()


def test_checking_an_unknown_tool_is_a_404(editor_client: Client):
    url = reverse("admin:editorial_tooltoverify_record_check", args=[10**9])
    assert editor_client.get(url).status_code == 404
