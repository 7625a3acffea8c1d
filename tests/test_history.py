"""History through django-reversion: changes are recorded, reverted and recovered in the admin."""

from decimal import Decimal

import pytest
import reversion
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from catalog.models import Modality, PricingPlan, Tool
from editorial.models import Review
from tests.admin_forms import form_data
from tests.editorial_factories import ReviewFactory
from tests.factories import ModalityFactory, PricingPlanFactory, ToolFactory

pytestmark = pytest.mark.django_db


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


# Everything is versioned, and recovering brings back what a delete removed.


@pytest.mark.parametrize(
    "model_name",
    [
        "catalog.Modality",
        "catalog.ModelFamily",
        "catalog.UseCase",
        "catalog.Platform",
        "catalog.Interaction",
        "catalog.Vendor",
        "catalog.AIModel",
        "catalog.Tool",
        "catalog.PricingPlan",
        "editorial.Review",
        "editorial.Submission",
    ],
)
def test_every_catalogue_and_editorial_model_keeps_history(model_name: str):
    assert reversion.is_registered(apps.get_model(model_name))


def test_a_deleted_demo_tool_comes_back_with_its_plans_and_links(editor_client: Client):
    call_command("load_demo_catalogue", verbosity=0)
    suno = Tool.objects.get(slug="suno")
    plans = sorted(suno.plans.values_list("name", flat=True))
    outputs = sorted(suno.output_modalities.values_list("slug", flat=True))
    assert plans and outputs

    editor_client.post(reverse("admin:catalog_tool_delete", args=[suno.pk]), {"post": "yes"})
    recover_list = editor_client.get(reverse("admin:catalog_tool_recoverlist"))
    version = Version.objects.get_deleted(Tool).get(object_id=str(suno.pk))
    recover_url = reverse("admin:catalog_tool_recover", args=[version.pk])
    page = editor_client.get(recover_url)
    response = editor_client.post(recover_url, form_data(page), follow=True)

    assert "Suno" in recover_list.text and "suno" in recover_list.text
    assert f"{len(plans)} pricing plans" in page.text or f"{len(plans)} pricing plan" in page.text
    recovered = Tool.objects.get(slug="suno")
    assert sorted(recovered.plans.values_list("name", flat=True)) == plans
    assert sorted(recovered.output_modalities.values_list("slug", flat=True)) == outputs
    assert "Tool “Suno” was recovered." in [str(m) for m in response.context["messages"]]


def test_running_the_demo_loader_again_saves_no_new_versions():
    call_command("load_demo_catalogue", verbosity=0)
    before = Version.objects.count()

    call_command("load_demo_catalogue", verbosity=0)

    assert before > 0
    assert Version.objects.count() == before


def test_a_deleted_tool_comes_back_with_its_reviews(client: Client, superuser):
    # Editors may not delete reviews, so only a superuser or senior editor can do this.
    client.force_login(superuser)
    editor_client = client
    review = ReviewFactory(tool=ToolFactory(name="Reviewed"), score_overall=4)
    tool = review.tool
    editor_client.post(reverse("admin:catalog_tool_delete", args=[tool.pk]), {"post": "yes"})
    assert not Review.objects.exists()

    version = Version.objects.get_deleted(Tool).get(object_id=str(tool.pk))
    recover_url = reverse("admin:catalog_tool_recover", args=[version.pk])
    editor_client.post(recover_url, form_data(editor_client.get(recover_url)))

    assert Review.objects.get().tool_id == tool.pk
    assert Tool.objects.get(pk=tool.pk).review_score == 4


def test_deleting_a_modality_states_every_link_it_removes_and_recovering_restores_them(
    editor_client: Client,
):
    image = ModalityFactory(name="Image")
    makes = ToolFactory.create_batch(3, output_modalities=[image])
    reads = ToolFactory.create_batch(2, input_modalities=[image])
    delete_url = reverse("admin:catalog_modality_delete", args=[image.pk])

    page = editor_client.get(delete_url)
    editor_client.post(delete_url, {"post": "yes"})
    version = Version.objects.get_deleted(Modality).get(object_id=str(image.pk))
    recover_url = reverse("admin:catalog_modality_recover", args=[version.pk])
    editor_client.post(recover_url, form_data(editor_client.get(recover_url)))

    assert "removes 5 links to tools" in page.text
    assert "object (" not in page.text
    assert f"“{makes[0].name}”, output modalities: Image" in page.text
    image = Modality.objects.get(slug="image")
    assert set(image.output_tools.all()) == set(makes)
    assert set(image.input_tools.all()) == set(reads)


# Bulk actions leave history, and reverts never change the status silently.


def test_a_bulk_publish_is_recorded_with_its_editor(editor_client: Client, editor):
    tool = tool_with_history(status=Tool.Status.DRAFT)

    editor_client.post(
        reverse("admin:catalog_tool_changelist"),
        {"action": "publish", "_selected_action": [tool.pk]},
    )

    latest = Version.objects.get_for_object(tool).first()
    assert latest.field_dict["status"] == Tool.Status.PUBLISHED
    assert latest.revision.user == editor
    assert latest.revision.comment == "Bulk action: published."


def test_a_revert_to_before_a_bulk_publish_asks_before_unpublishing(editor_client: Client):
    tool = tool_with_history(status=Tool.Status.DRAFT, pitch="Old pitch.")
    draft_version = Version.objects.get_for_object(tool).first()
    editor_client.post(
        reverse("admin:catalog_tool_changelist"),
        {"action": "publish", "_selected_action": [tool.pk]},
    )
    revision_url = reverse("admin:catalog_tool_revision", args=[tool.pk, draft_version.pk])

    page = editor_client.get(revision_url)
    refused = editor_client.post(revision_url, form_data(page))
    tool.refresh_from_db()
    status_after_refusal = tool.status
    confirmed = editor_client.post(revision_url, {**form_data(page), "_confirm_status_change": "1"})
    tool.refresh_from_db()

    assert "changes the status from Published to Draft" in page.text.replace("\n", " ") or (
        "the current status is Published" in page.text
    )
    assert refused.status_code == 200
    assert "Reverting changes the status from Published to Draft" in refused.text
    assert status_after_refusal == Tool.Status.PUBLISHED
    assert confirmed.status_code == 302
    assert tool.status == Tool.Status.DRAFT


def test_a_revert_that_keeps_the_status_needs_no_confirmation(editor_client: Client):
    tool = tool_with_history(pitch="The first pitch.")
    first = Version.objects.get_for_object(tool).first()
    url = reverse("admin:catalog_tool_change", args=[tool.pk])
    data = form_data(editor_client.get(url))
    data["pitch"] = "The second pitch."
    editor_client.post(url, data)
    revision_url = reverse("admin:catalog_tool_revision", args=[tool.pk, first.pk])

    page = editor_client.get(revision_url)
    response = editor_client.post(revision_url, form_data(page))

    assert "Pitch: <del>The second pitch.</del> → <ins>The first pitch.</ins>" in page.text
    assert response.status_code == 302
    assert Tool.objects.get(pk=tool.pk).pitch == "The first pitch."


def test_history_shows_what_each_version_changed(editor_client: Client):
    text = ModalityFactory(name="Text")
    tool = tool_with_history(pitch="Before.")
    url = reverse("admin:catalog_tool_change", args=[tool.pk])
    data = form_data(editor_client.get(url))
    data.update({"pitch": "After.", "output_modalities": [str(text.pk)], "plans-0-price": "25.00"})
    editor_client.post(url, data)

    response = editor_client.get(reverse("admin:catalog_tool_history", args=[tool.pk]))

    assert response.status_code == 200
    assert "Pitch: <del>Before.</del> → <ins>After.</ins>" in response.text
    assert "Output modalities: <ins>added Text</ins>" in response.text
    assert (
        "Pricing plan “" in response.text and "<del>20.00</del> → <ins>25.00</ins>" in response.text
    )
    assert "First saved version." in response.text


def test_restoring_one_tool_from_a_bulk_action_leaves_the_other_tools_alone(
    editor_client: Client,
):
    first = tool_with_history(status=Tool.Status.DRAFT, pitch="First, before.")
    second = tool_with_history(status=Tool.Status.DRAFT, pitch="Second, before.")
    editor_client.post(
        reverse("admin:catalog_tool_changelist"),
        {"action": "publish", "_selected_action": [first.pk, second.pk]},
    )
    bulk_version = Version.objects.get_for_object(first).first()
    for tool, pitch in ((first, "First, after."), (second, "Second, after.")):
        url = reverse("admin:catalog_tool_change", args=[tool.pk])
        data = form_data(editor_client.get(url))
        data["pitch"] = pitch
        editor_client.post(url, data)
    revision_url = reverse("admin:catalog_tool_revision", args=[first.pk, bulk_version.pk])

    page = editor_client.get(revision_url)
    editor_client.post(revision_url, form_data(page))

    assert Tool.objects.get(pk=first.pk).pitch == "First, before."
    assert Tool.objects.get(pk=second.pk).pitch == "Second, after."
    assert "Second" not in "".join(str(c.label) for c in page.context["revert_changes"])


def test_a_demo_tools_history_lists_only_its_own_rows(editor_client: Client):
    call_command("load_demo_catalogue", verbosity=0)
    suno = Tool.objects.get(slug="suno")

    response = editor_client.get(reverse("admin:catalog_tool_history", args=[suno.pk]))

    assert response.status_code == 200
    assert "ChatGPT" not in response.text
