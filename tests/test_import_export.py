"""Import and export in the admin: a dry run shows every row first, bad files write nothing."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from reversion.models import Revision, Version

from catalog import versioning
from catalog.models import PricingPlan, Tool, Vendor
from tests.factories import ModalityFactory, PricingPlanFactory, ToolFactory, VendorFactory

pytestmark = pytest.mark.django_db

CSV_FORMAT, JSON_FORMAT, XLSX_FORMAT = "0", "1", "2"


def export(client: Client, model: str, file_format: str):
    return client.post(
        reverse(f"admin:catalog_{model}_export"),
        {"format": file_format, "resource": "0", **_all_fields(client, model)},
    )


def _all_fields(client: Client, model: str) -> dict:
    """The export form asks which fields to include: tick them all, as an editor would."""
    form = client.get(reverse(f"admin:catalog_{model}_export")).context["form"]
    skip = {"format", "resource", "export_items"}
    return {name: "on" for name in form.fields if name not in skip}


def tool_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(client: Client, model: str, content: bytes, name: str = "tools.csv", fmt=CSV_FORMAT):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(
        reverse(f"admin:catalog_{model}_import"),
        {"import_file": upload, "format": fmt, "resource": "0"},
    )


def confirm(client: Client, model: str, page):
    form = page.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(reverse(f"admin:catalog_{model}_process_import"), data, follow=True)


def new_tool_row(**overrides) -> dict:
    row = {
        "slug": "pixel-forge",
        "name": "Pixel Forge",
        "pitch": "Makes pictures from prompts.",
        "vendor": "acme",
        "website": "https://pixelforge.example.com/",
        "status": "draft",
        "pricing_model": "subscription",
        "licence_class": "proprietary",
        "commercial_use": "allowed",
        "output_modalities": "image",
    }
    return {**row, **overrides}


@pytest.fixture
def acme(db):
    ModalityFactory(name="Image", slug="image")
    return VendorFactory(name="Acme", slug="acme")


# Export.


@pytest.mark.parametrize("model", ["tool", "pricingplan", "vendor"])
def test_editors_export_csv_with_slugs_not_ids(editor_client: Client, model: str):
    plan = PricingPlanFactory(tool=ToolFactory(slug="echo", vendor=VendorFactory(slug="acme")))

    response = export(editor_client, model, CSV_FORMAT)

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows
    if model == "tool":
        assert rows[0]["slug"] == "echo" and rows[0]["vendor"] == "acme"
    if model == "pricingplan":
        assert (rows[0]["tool"], rows[0]["name"]) == ("echo", plan.name)


def test_tools_export_as_json_and_xlsx(editor_client: Client):
    ToolFactory(slug="echo", output_modalities=[ModalityFactory(slug="audio")])

    as_json = json.loads(export(editor_client, "tool", JSON_FORMAT).content)
    workbook = load_workbook(io.BytesIO(export(editor_client, "tool", XLSX_FORMAT).content))

    assert as_json[0]["slug"] == "echo"
    assert as_json[0]["output_modalities"] == "audio"
    sheet = workbook.active
    assert "slug" in [cell.value for cell in sheet[1]]


# The dry run shows what would change, and writes nothing.


def test_the_dry_run_shows_each_row_and_writes_nothing(editor_client: Client, acme):
    ToolFactory(slug="echo", name="Echo", pitch="Old pitch.", vendor=acme)
    rows = [new_tool_row(), new_tool_row(slug="echo", name="Echo", pitch="New pitch.")]
    rows = [{k: r.get(k, "") for k in rows[0]} for r in rows]
    versions_before = Version.objects.count()

    page = preview(editor_client, "tool", tool_csv(rows))

    assert page.status_code == 200
    result = page.context["result"]
    assert [row.import_type for row in result.rows] == ["new", "update"]
    assert "Confirm import" in page.text
    assert "pitch." in page.text and "New" in page.text
    assert not Tool.objects.filter(slug="pixel-forge").exists()
    assert Tool.objects.get(slug="echo").pitch == "Old pitch."
    assert Version.objects.count() == versions_before


def test_a_confirmed_import_is_one_revision_by_the_editor_and_one_version_bump(
    editor_client: Client, editor, acme, monkeypatch
):
    rows = [new_tool_row(), new_tool_row(slug="ink-well", name="Ink Well")]
    page = preview(editor_client, "tool", tool_csv(rows))
    bumps = []
    original = versioning._new_version
    monkeypatch.setattr(versioning, "_new_version", lambda: bumps.append(1) or original())

    response = confirm(editor_client, "tool", page)

    assert response.status_code == 200
    assert set(Tool.objects.values_list("slug", flat=True)) == {"pixel-forge", "ink-well"}
    assert list(
        Tool.objects.get(slug="ink-well").output_modalities.values_list("slug", flat=True)
    ) == ["image"]
    revision = Revision.objects.latest("pk")
    assert revision.user == editor
    assert revision.comment == "Imported tools from tools.csv."
    tool_ids = [str(pk) for pk in Tool.objects.values_list("pk", flat=True)]
    assert revision.version_set.filter(object_id__in=tool_ids).count() == 2
    assert len(bumps) == 1


def test_plans_import_by_tool_slug_and_name(editor_client: Client):
    tool = ToolFactory(slug="echo")
    PricingPlanFactory(tool=tool, name="Pro", price="10.00")
    content = (
        b"tool,name,price,currency,period\necho,Pro,12.00,USD,month\necho,Team,30.00,USD,month\n"
    )

    confirm(editor_client, "pricingplan", preview(editor_client, "pricingplan", content))

    prices = dict(PricingPlan.objects.filter(tool=tool).values_list("name", "price"))
    assert {k: str(v) for k, v in prices.items()} == {"Pro": "12.00", "Team": "30.00"}


# Bad files give a clear report and write nothing.

BAD_FILES = {
    "wrong columns": (
        b"slugg,name,pitch\nx,X,Y\n",
        "unknown columns: slugg; missing columns: slug",
    ),
    "bad encoding": ("slug,name\ncaf\xe9,Caf\xe9\n".encode("latin-1"), "could not be read"),
    "unknown slugs": (None, "No vendor with the slug “nobody”"),
    "unknown modality": (None, "Unknown modalities: holograms"),
    "invalid choice": (None, "is not a valid choice"),
    "ten megabytes of junk": (b"\x00\xff junk " * (10 * 1024 * 1024 // 10), "imports take at most"),
}


def _bad_content(case: str) -> bytes:
    content, _ = BAD_FILES[case]
    if content is not None:
        return content
    row = {
        "unknown slugs": new_tool_row(vendor="nobody"),
        "unknown modality": new_tool_row(output_modalities="image|holograms"),
        "invalid choice": new_tool_row(pricing_model="gratis"),
    }[case]
    return tool_csv([new_tool_row(slug="fine-one", name="Fine One"), row])


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_gives_a_clear_report_and_writes_nothing(editor_client: Client, acme, case):
    tools_before = Tool.objects.count()
    vendors_before = Vendor.objects.count()

    page = preview(editor_client, "tool", _bad_content(case))

    assert page.status_code == 200
    assert BAD_FILES[case][1] in page.text
    assert "Confirm import" not in page.text
    assert Tool.objects.count() == tools_before
    assert Vendor.objects.count() == vendors_before
    assert not Version.objects.exists()


def test_errors_are_reported_per_row(editor_client: Client, acme):
    content = tool_csv(
        [
            new_tool_row(slug="fine-one"),
            new_tool_row(vendor="nobody"),
            new_tool_row(slug="x", pricing_model="gratis"),
        ]
    )

    page = preview(editor_client, "tool", content)

    result = page.context["result"]
    assert result.has_errors() or result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2, 3]
    assert "No vendor with the slug “nobody”." in page.text
    assert "gratis" in page.text and "is not a valid choice" in page.text
    assert not Tool.objects.exists()


def test_an_import_needs_the_add_permission(client: Client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:catalog_tool_import"))

    assert response.status_code == 403
