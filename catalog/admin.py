"""The editors' admin: curate tools, their plans and the vocabularies they are tagged with.

Every relation is an autocomplete, so every related admin declares `search_fields`.
Changelists name their `list_select_related` so a page costs the same queries
whatever its length.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import model_ngettext
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst
from reversion.admin import VersionAdmin

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
from catalog.provenance_admin import VerificationInline
from catalog.versioning import bump


class TaxonomyAdmin(admin.ModelAdmin):
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
class VendorAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "website")
    search_fields = ("name", "slug", "website")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(AIModel)
class AIModelAdmin(admin.ModelAdmin):
    list_display = ("name", "family", "developer", "licence_class", "open_weights")
    list_filter = ("family", "licence_class", "open_weights")
    list_select_related = ("family", "developer")
    search_fields = ("name", "slug", "developer__name", "licence")
    autocomplete_fields = ("family", "developer")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(PricingPlan)
class PricingPlanAdmin(VersionAdmin):
    list_display = ("name", "tool", "price", "currency", "period", "unit", "commercial_use")
    list_filter = ("period", "commercial_use", "currency")
    list_select_related = ("tool",)
    search_fields = ("name", "unit", "tool__name")
    autocomplete_fields = ("tool",)
    ordering = ("tool__name", "position", "price")


class PricingPlanInline(admin.TabularInline):
    model = PricingPlan
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
class ToolAdmin(VersionAdmin):
    list_display = ("name", "vendor", "status", "pricing_model", "last_checked", "stale")
    list_filter = (
        "status",
        "pricing_model",
        StaleFilter,
        "output_modalities",
        "input_modalities",
        "families",
        "use_cases",
        "commercial_use",
        "licence_class",
    )
    list_select_related = ("vendor",)
    search_fields = ("name", "slug", "pitch", "vendor__name")
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

    @admin.display(boolean=True, description="stale", ordering="last_checked")
    def stale(self, tool: Tool) -> bool:
        return tool.is_stale()

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
        """Apply `values` to the rows that differ, log each change, and say how many."""
        tools = list(queryset)
        # update() skips auto_now, so keep `updated` honest by hand.
        count = Tool.objects.filter(pk__in=[t.pk for t in tools]).update(
            updated=timezone.now(), **values
        )
        bump()  # update() sends no signals; visitors must still see the change
        if tools:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=tools,
                action_flag=CHANGE,
                change_message=[{"changed": {"fields": [self._label(f) for f in values]}}],
            )
        self.message_user(
            request, f"{count} {model_ngettext(self.opts, count)} {done}.", messages.SUCCESS
        )
