"""History through django-reversion: changes are recorded, reverted and recovered in the admin."""

from decimal import Decimal

import pytest
import reversion
from django.forms import CheckboxInput
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from catalog.models import PricingPlan, Tool
from editorial.models import Review
from tests.editorial_factories import ReviewFactory
from tests.factories import PricingPlanFactory, ToolFactory

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """The POST an editor's browser would send for the admin form in `response`."""
    data: dict = {}

    def add(form) -> None:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = "" if value is None else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def tool_with_history(**kwargs) -> Tool:
    with reversion.create_revision():
        tool = ToolFactory(**kwargs)
        PricingPlanFactory(tool=tool, name="Pro", price=Decimal("20.00"))
    return tool


def test_a_change_in_the_admin_is_recorded_with_its_editor(editor_client: Client, editor):
    tool = tool_with_history(pitch="The original pitch.")
    url = reverse("admin:catalog_tool_change", args=[tool.pk])
    data = form_data(editor_client.get(url))
    data["pitch"] = "A new pitch."

    response = editor_client.post(url, data)

    assert response.status_code == 302
    versions = Version.objects.get_for_object(tool)
    assert len(versions) == 2
    assert versions[0].field_dict["pitch"] == "A new pitch."
    assert versions[0].revision.user == editor


def test_reverting_restores_the_old_value_and_the_old_plans(editor_client: Client):
    tool = tool_with_history(pitch="The original pitch.")
    url = reverse("admin:catalog_tool_change", args=[tool.pk])
    data = form_data(editor_client.get(url))
    data["pitch"] = "A worse pitch."
    data["plans-0-price"] = "99.00"
    editor_client.post(url, data)
    assert Tool.objects.get(pk=tool.pk).pitch == "A worse pitch."
    first = Version.objects.get_for_object(tool).last()

    history = editor_client.get(reverse("admin:catalog_tool_history", args=[tool.pk]))
    revision_url = reverse("admin:catalog_tool_revision", args=[tool.pk, first.pk])
    revision_page = editor_client.get(revision_url)
    response = editor_client.post(revision_url, form_data(revision_page))

    assert history.status_code == 200
    assert revision_page.status_code == 200
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.pitch == "The original pitch."
    assert PricingPlan.objects.get(tool=tool).price == Decimal("20.00")


def test_a_deleted_tool_can_be_recovered_with_its_plans(editor_client: Client):
    tool = tool_with_history(name="Phoenix")
    pk = tool.pk
    editor_client.post(reverse("admin:catalog_tool_delete", args=[pk]), {"post": "yes"})
    assert not Tool.objects.filter(pk=pk).exists()

    recover_list = editor_client.get(reverse("admin:catalog_tool_recoverlist"))
    version = Version.objects.get_deleted(Tool).get(object_id=str(pk))
    recover_url = reverse("admin:catalog_tool_recover", args=[version.pk])
    response = editor_client.post(recover_url, form_data(editor_client.get(recover_url)))

    assert "Phoenix" in recover_list.text
    assert response.status_code == 302
    recovered = Tool.objects.get(pk=pk)
    assert recovered.name == "Phoenix"
    assert list(recovered.plans.values_list("name", flat=True)) == ["Pro"]


def test_plan_changes_in_their_own_admin_are_recorded(editor_client: Client):
    plan = PricingPlanFactory(price=Decimal("10.00"))
    url = reverse("admin:catalog_pricingplan_change", args=[plan.pk])
    data = form_data(editor_client.get(url))
    data["price"] = "12.00"

    editor_client.post(url, data)

    assert Version.objects.get_for_object(plan).first().field_dict["price"] == Decimal("12.00")


def test_review_edits_are_recorded(editor_client: Client):
    review = ReviewFactory(status=Review.Status.DRAFT, headline="First try")
    url = reverse("admin:editorial_review_change", args=[review.pk])
    data = form_data(editor_client.get(url))
    data["headline"] = "Second try"

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert Version.objects.get_for_object(review).first().field_dict["headline"] == "Second try"


def test_status_actions_are_recorded(editor_client: Client):
    review = ReviewFactory(status=Review.Status.DRAFT)

    editor_client.post(
        reverse("admin:editorial_review_changelist"),
        {"action": "submit_for_review", "_selected_action": [review.pk]},
    )

    assert Version.objects.get_for_object(review).first().field_dict["status"] == "in_review"


def test_history_is_for_staff_only(client: Client):
    tool = tool_with_history()

    response = client.get(reverse("admin:catalog_tool_history", args=[tool.pk]))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_freshness_dashboard_counts_edits_per_editor(editor_client: Client, editor):
    tool = tool_with_history()
    url = reverse("admin:catalog_tool_change", args=[tool.pk])
    for pitch in ("One.", "Two."):
        data = form_data(editor_client.get(url))
        data["pitch"] = pitch
        editor_client.post(url, data)

    response = editor_client.get(reverse("admin:editorial_tooltoverify_changelist"))

    assert response.context["edits_by_editor"] == [
        {"revision__user__username": editor.username, "edits": 2, "tools": 1}
    ]
    assert editor.username in response.text
