"""Import and export of vendors, tools and plans (django-import-export resources).

Rows are matched by natural keys (slugs; a plan by its tool's slug and its
name), never by database ids, so a file exported from one site imports into
another. Every row is validated by the model's own `full_clean` and choices;
a relation naming a slug we do not have is an error on that row, never
silently dropped.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from import_export import fields, resources, widgets

from catalog.models import PricingPlan, Tool, Vendor

SEPARATOR = "|"


class SlugWidget(widgets.ForeignKeyWidget):
    """A relation by slug, with an error that names the slug when it is unknown."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                f"No {self.model._meta.verbose_name} with the slug “{value}”."
            ) from None


class SlugsWidget(widgets.ManyToManyWidget):
    """Many relations as slugs separated by "|"; every slug must exist."""

    def __init__(self, model: type[models.Model]) -> None:
        super().__init__(model, separator=SEPARATOR, field="slug")

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any):
        slugs = [s.strip() for s in str(value or "").split(SEPARATOR) if s.strip()]
        found = self.model.objects.filter(slug__in=slugs)
        missing = sorted(set(slugs) - {obj.slug for obj in found})
        if missing:
            label = self.model._meta.verbose_name_plural
            raise ValueError(f"Unknown {label}: {', '.join(missing)}.")
        return found


class CatalogueResource(resources.ModelResource):
    """Relations by slug, strict columns, and the model's own validation on every row."""

    required_columns: tuple[str, ...] = ()

    @classmethod
    def field_from_django_field(cls, field_name: str, django_field, readonly: bool):
        related = getattr(django_field, "related_model", None)
        if related is not None and any(f.name == "slug" for f in related._meta.fields):
            widget = (
                SlugsWidget(related) if django_field.many_to_many else SlugWidget(related, "slug")
            )
            return fields.Field(
                attribute=field_name, column_name=field_name, widget=widget, readonly=readonly
            )
        return super().field_from_django_field(field_name, django_field, readonly)

    def before_import(self, dataset, **kwargs: Any) -> None:
        # A typo in a header must not silently drop that column.
        expected = {field.column_name for field in self.get_import_fields()}
        headers = [str(h or "").strip() for h in (dataset.headers or [])]
        unknown = sorted(set(headers) - expected)
        missing = sorted(set(self.required_columns) - set(headers))
        problems = []
        if unknown:
            problems.append(f"unknown columns: {', '.join(unknown)}")
        if missing:
            problems.append(f"missing columns: {', '.join(missing)}")
        if problems:
            raise ValueError(
                "The file's columns do not match ("
                + "; ".join(problems)
                + f"). Expected: {', '.join(sorted(expected))}."
            )
        super().before_import(dataset, **kwargs)


class VendorResource(CatalogueResource):
    required_columns = ("slug", "name")

    class Meta:
        model = Vendor
        fields = ("slug", "name", "website", "description")
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class ToolResource(CatalogueResource):
    required_columns = ("slug", "name")

    class Meta:
        model = Tool
        # Everything an editor types; derived columns (score, search document) are not imported.
        exclude = ("id", "review_score", "search_vector", "created", "updated")
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request=None, **kwargs: Any):
        relations = [f.name for f in Tool._meta.many_to_many]
        return Tool.objects.select_related().prefetch_related(*relations).order_by("slug")


class PricingPlanResource(CatalogueResource):
    required_columns = ("tool", "name")

    class Meta:
        model = PricingPlan
        fields = (
            "tool",
            "name",
            "position",
            "price",
            "currency",
            "period",
            "unit",
            "includes",
            "commercial_use",
        )
        import_id_fields = ("tool", "name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request=None, **kwargs: Any):
        return PricingPlan.objects.select_related("tool").order_by("tool__slug", "position")
