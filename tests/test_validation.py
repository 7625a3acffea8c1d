"""What the catalogue refuses, at the model (forms, imports) and at the database."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import PricingPlan, Tool, Vendor
from tests.admin_forms import form_data
from tests.factories import PricingPlanFactory, ToolFactory, VendorFactory

pytestmark = pytest.mark.django_db

TOOL_CASES = {
    "a free tool with a price": (
        {"pricing_model": "free", "starting_price": Decimal("5")},
        "starting_price",
    ),
    "a period without a price": ({"price_period": "month", "starting_price": None}, "price_period"),
    "a currency that is not ISO 4217": ({"currency": "XYZ"}, "currency"),
    "a lower-case currency": ({"currency": "usd"}, "currency"),
    "an ftp website": ({"website": "ftp://files.example.com/tool"}, "website"),
    "an ftp source page": ({"source_url": "ftp://files.example.com/terms"}, "source_url"),
}


@pytest.mark.parametrize("values, field", TOOL_CASES.values(), ids=TOOL_CASES.keys())
def test_the_model_refuses(values: dict, field: str):
    tool = ToolFactory.build(vendor=None, **values)

    with pytest.raises(ValidationError) as refused:
        tool.full_clean()

    assert field in refused.value.message_dict


@pytest.mark.parametrize("values, field", TOOL_CASES.values(), ids=TOOL_CASES.keys())
def test_the_database_refuses(values: dict, field: str):
    tool = ToolFactory(pricing_model="subscription", starting_price=Decimal("10"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Tool.objects.filter(pk=tool.pk).update(**values)


def test_a_plan_with_a_period_needs_a_price():
    plan = PricingPlanFactory.build(tool=ToolFactory(), price=None, period="month")

    with pytest.raises(ValidationError) as refused:
        plan.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        PricingPlan.objects.create(tool=plan.tool, name="Pro", price=None, period="month")

    assert "period" in refused.value.message_dict


def test_a_vendor_website_must_be_a_web_address():
    with pytest.raises(ValidationError):
        VendorFactory.build(website="javascript:alert(1)").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vendor.objects.create(name="Bad", slug="bad", website="ftp://bad.example/")


def test_a_plan_in_another_iso_currency_is_fine():
    plan = PricingPlanFactory.build(tool=ToolFactory(), currency="EUR", price=Decimal("9"))

    plan.full_clean()


# The starting price and the plans agree.


def tool_form(client: Client, tool: Tool) -> tuple[str, dict]:
    url = reverse("admin:catalog_tool_change", args=[tool.pk])
    return url, form_data(client.get(url))


def test_a_starting_price_that_contradicts_the_plans_is_refused(editor_client: Client):
    tool = ToolFactory(
        pricing_model="subscription", starting_price=Decimal("20"), price_period="month"
    )
    PricingPlanFactory(tool=tool, name="Pro", price=Decimal("20"), period="month")
    url, data = tool_form(editor_client, tool)
    data["starting_price"] = "15.00"

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "The cheapest paid plan in USD is “Pro” at 20.00 per month" in response.text
    assert Tool.objects.get(pk=tool.pk).starting_price == Decimal("20")


def test_an_empty_starting_price_is_taken_from_the_cheapest_paid_plan(editor_client: Client):
    tool = ToolFactory(pricing_model="subscription", starting_price=None)
    PricingPlanFactory(tool=tool, name="Team", price=Decimal("30"), period="month")
    PricingPlanFactory(tool=tool, name="Solo", price=Decimal("12"), period="month")
    PricingPlanFactory(tool=tool, name="API", price=Decimal("0.02"), period="usage")
    url, data = tool_form(editor_client, tool)

    response = editor_client.post(url, data)

    assert response.status_code == 302
    tool.refresh_from_db()
    assert (tool.starting_price, tool.price_period) == (Decimal("12.00"), "month")


def test_the_tool_form_says_ip_indemnity(editor_client: Client):
    response = editor_client.get(reverse("admin:catalog_tool_add"))

    assert "IP indemnity" in response.text
    assert "Ip indemnity" not in response.text


def test_the_tool_page_costs_the_same_queries_whatever_its_plans(editor_client: Client):
    few = ToolFactory()
    PricingPlanFactory.create_batch(1, tool=few)
    many = ToolFactory()
    PricingPlanFactory.create_batch(12, tool=many)

    editor_client.get(reverse("admin:catalog_tool_change", args=[few.pk]))  # warm caches
    with CaptureQueriesContext(connection) as one:
        editor_client.get(reverse("admin:catalog_tool_change", args=[few.pk]))
    with CaptureQueriesContext(connection) as twelve:
        response = editor_client.get(reverse("admin:catalog_tool_change", args=[many.pk]))

    assert response.status_code == 200
    assert len(twelve.captured_queries) == len(one.captured_queries)
