"""The editors' admin: curate tools, their plans and the vocabularies they are tagged with.

Every relation is an autocomplete, so every related admin declares `search_fields`.
Changelists name their `list_select_related` so a page costs the same queries
whatever its length.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst

from catalog import history
from catalog.currencies import Currency
from catalog.history_admin import HistoryAdmin
from catalog.import_admin import CatalogueImportExportMixin
from catalog.models import (
    AIModel,
    Interaction,
    Modality,
    ModelFamily,
    Platform,
    PricingPlan,
    Tool,
    ToolQuerySet,
    UseCase,
    Vendor,
)
from catalog.pricing import PlanPrice, cheapest_paid, starting_price_problem
from catalog.provenance_admin import VerificationInline
from catalog.resources import PricingPlanResource, ToolResource, VendorResource
from catalog.versioning import bump


class TaxonomyAdmin(HistoryAdmin):
    """Shared admin for the editable vocabularies; editors reorder them in place."""

    list_display = ("name", "slug", "position")
    list_display_links = ("name",)
    list_editable = ("position",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Modality)
class ModalityAdmin(TaxonomyAdmin):
    pass


@admin.register(ModelFamily)
class ModelFamilyAdmin(TaxonomyAdmin):
    list_display = ("name", "slug", "is_language", "typical_outputs", "position")
    list_filter = ("is_language",)
    search_fields = ("name", "slug", "description", "typical_outputs")


@admin.register(UseCase)
class UseCaseAdmin(TaxonomyAdmin):
    pass


@admin.register(Platform)
class PlatformAdmin(TaxonomyAdmin):
    list_display = ("name", "slug", "kind", "position")
    list_filter = ("kind",)


@admin.register(Interaction)
class InteractionAdmin(TaxonomyAdmin):
    pass


@admin.register(Vendor)
class VendorAdmin(CatalogueImportExportMixin, HistoryAdmin):
    resource_classes = [VendorResource]
    list_display = ("name", "slug", "website")
    search_fields = ("name", "slug", "website")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(AIModel)
class AIModelAdmin(HistoryAdmin):
    # Open weights is also a licence class, so the list leaves its flag to the filter.
    list_display = ("name", "family", "developer", "licence_class")
    list_filter = ("family", "licence_class", "open_weights")
    list_select_related = ("family", "developer")
    search_fields = ("name", "slug", "developer__name", "licence")
    autocomplete_fields = ("family", "developer")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(PricingPlan)
class PricingPlanAdmin(CatalogueImportExportMixin, HistoryAdmin):
    resource_classes = [PricingPlanResource]
    list_display = ("name", "tool", "price_label", "unit", "commercial_use")
    list_filter = ("period", "commercial_use", "currency")
    list_select_related = ("tool",)
    search_fields = ("name", "unit", "tool__name")
    autocomplete_fields = ("tool",)
    ordering = ("tool__name", "position", "price")

    @admin.display(description="price", ordering="price")
    def price_label(self, plan: PricingPlan) -> str:
        if plan.price is None:
            return "—"
        period = f" {plan.get_period_display()}" if plan.period else ""
        return f"{plan.currency} {plan.price}{period}"


# What a tool's version holds besides its columns: prefetched, a bulk action
# saves a hundred versions in a fixed number of queries.
VERSIONED_RELATIONS = [field.name for field in Tool._meta.many_to_many] + ["plans"]


class PlansFormSet(BaseInlineFormSet):
    """Plans checked together with the tool they belong to: the starting price is theirs."""

    def clean(self) -> None:
        super().clean()
        plans = [
            PlanPrice(
                name=form.cleaned_data.get("name", ""),
                price=form.cleaned_data.get("price"),
                currency=form.cleaned_data.get("currency", ""),
                period=form.cleaned_data.get("period", ""),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problem = starting_price_problem(
            starting_price=self.instance.starting_price,
            currency=self.instance.currency,
            plans=plans,
        )
        if problem:
            raise ValidationError(problem)


class PricingPlanInline(admin.TabularInline):
    model = PricingPlan
    formset = PlansFormSet
    fields = (
        "position",
        "name",
        "price",
        "currency",
        "period",
        "unit",
        "commercial_use",
        "includes",
    )
    ordering = ("position", "price")
    extra = 0
    # Compact widgets: the whole table fits the change form's ~1,000 px column.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 24})},
    }

    def get_queryset(self, request: HttpRequest) -> QuerySet[PricingPlan]:
        # Each row's label names its tool: join it, or the page costs a query per plan.
        return super().get_queryset(request).select_related("tool")

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "currency":
            field.choices = [(code, code) for code in Currency.values]  # codes, not names
        elif db_field.name in {"name", "unit"}:
            field.widget.attrs["size"] = 14
        return field


class StaleFilter(admin.SimpleListFilter):
    """Tools whose facts nobody has checked within CATALOG_STALE_AFTER_DAYS, or ever."""

    title = "editor's check"
    parameter_name = "stale"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Stale or never checked"), ("no", "Recently checked")]

    def queryset(self, request: HttpRequest, queryset: ToolQuerySet) -> QuerySet[Tool]:
        if self.value() == "yes":
            return queryset.stale()
        if self.value() == "no":
            return queryset.exclude(pk__in=Tool.objects.stale().values("pk"))
        return queryset


@admin.register(Tool)
class ToolAdmin(CatalogueImportExportMixin, HistoryAdmin):
    resource_classes = [ToolResource]
    list_display = ("name", "vendor", "status", "pricing_model", "verified")
    list_filter = (
        "status",
        StaleFilter,
        "is_featured",
        ("vendor", admin.RelatedOnlyFieldListFilter),
        ("platforms", admin.RelatedOnlyFieldListFilter),
        "pricing_model",
        "output_modalities",
        "input_modalities",
        "families",
        "use_cases",
        "commercial_use",
        "licence_class",
    )
    list_select_related = ("vendor",)
    search_fields = ("name", "slug", "pitch", "vendor__name")
    date_hierarchy = "created"
    autocomplete_fields = (
        "vendor",
        "replaced_by",
        "primary_output",
        "primary_use_case",
        "input_modalities",
        "output_modalities",
        "families",
        "ai_models",
        "use_cases",
        "platforms",
        "interactions",
    )
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("last_checked", "created", "updated")
    inlines = (PricingPlanInline, VerificationInline)
    status_field = "status"
    actions = ("publish", "discontinue")
    fieldsets = (
        (
            "Basics",
            {
                "fields": (
                    "name",
                    "slug",
                    "pitch",
                    "description",
                    "vendor",
                    "website",
                    "status",
                    "replaced_by",
                    "is_featured",
                )
            },
        ),
        (
            "What it takes and makes",
            {
                "fields": (
                    "input_modalities",
                    "output_modalities",
                    "primary_output",
                    "families",
                    "ai_models",
                    "use_cases",
                    "primary_use_case",
                    "platforms",
                    "interactions",
                    ("has_public_api", "model_api_available"),
                )
            },
        ),
        (
            "Pricing",
            {
                "fields": (
                    "pricing_model",
                    ("has_free_tier", "has_free_trial"),
                    ("starting_price", "currency", "price_period"),
                )
            },
        ),
        (
            "Rights",
            {
                "fields": (
                    ("licence_class", "licence_spdx"),
                    ("commercial_use", "commercial_use_condition"),
                    "output_ownership",
                    "ip_indemnity",
                    "trains_on_user_data",
                    "rights_notes",
                )
            },
        ),
        ("Provenance", {"fields": ("source_url", "last_checked", ("created", "updated"))}),
    )

    class Media:
        css = {"all": ("editorial/admin.css",)}

    # One column for when and whether it is fresh (two columns cut the list off at
    # 1,366 px); the old tick column ticked stale tools.
    @admin.display(description="last checked", ordering="last_checked")
    def verified(self, tool: Tool) -> str:
        when = date_format(tool.last_checked) if tool.last_checked else "never"
        if tool.is_stale():
            return format_html('{} <strong class="stale">· stale</strong>', when)
        return when

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        tool = form.instance
        if tool.starting_price is None and tool.pricing_model != Tool.PricingModel.FREE:
            # No starting price typed: take it from the plans, as the rule defines it.
            cheapest = cheapest_paid(
                [PlanPrice(p.name, p.price, p.currency, p.period) for p in tool.plans.all()],
                currency=tool.currency,
            )
            if cheapest is not None:
                tool.starting_price, tool.price_period = cheapest.price, cheapest.period
                tool.save(update_fields=["starting_price", "price_period", "updated"])

    @admin.action(description="Publish selected tools", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Tool]) -> None:
        changed = queryset.exclude(status=Tool.Status.PUBLISHED)
        self._update(request, changed, "published", status=Tool.Status.PUBLISHED)

    @admin.action(description="Mark selected tools discontinued", permissions=["change"])
    def discontinue(self, request: HttpRequest, queryset: QuerySet[Tool]) -> None:
        changed = queryset.exclude(status=Tool.Status.DISCONTINUED)
        self._update(request, changed, "marked discontinued", status=Tool.Status.DISCONTINUED)

    def _label(self, field: str) -> str:
        # The same label the change form logs, so history reads alike either way.
        return capfirst(self.opts.get_field(field).verbose_name)

    def _update(
        self, request: HttpRequest, queryset: QuerySet[Tool], done: str, **values: Any
    ) -> None:
        """Apply `values` to the rows that differ, record each change, and say how many.

        One UPDATE and one catalogue version bump for the lot, then a version of
        each tool in one revision, so history (and a later revert) sees the action.
        """
        pks = list(queryset.values_list("pk", flat=True))
        change_message = [{"changed": {"fields": [self._label(f) for f in values]}}]
        with history.revision(comment=f"Bulk action: {done}.", user=request.user):
            # update() skips auto_now, so keep `updated` honest by hand.
            count = Tool.objects.filter(pk__in=pks).update(updated=timezone.now(), **values)
            bump()  # update() sends no signals; visitors must still see the change
            tools = list(Tool.objects.filter(pk__in=pks).prefetch_related(*VERSIONED_RELATIONS))
            history.save_versions(tools)
            if tools:
                LogEntry.objects.log_actions(
                    user_id=request.user.pk,
                    queryset=tools,
                    action_flag=CHANGE,
                    change_message=change_message,
                )
        self.message_user(
            request, f"{count} {model_ngettext(self.opts, count)} {done}.", messages.SUCCESS
        )
