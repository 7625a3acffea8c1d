"""Read pages of the catalogue: small views over the browse, facets and similar modules."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from catalog.browse import browse
from catalog.models import AIModel, Modality, ModelFamily, PricingPlan, Tool, UseCase, Vendor
from catalog.similar import similar_tools
from catalog.taxonomy import load_taxonomy

PAGE_SIZE = 24


class HomeView(TemplateView):
    template_name = "catalog/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # One grouped count per vocabulary; entries with no published tool are hidden.
        by_output = _with_counts(Modality, "output_tools")
        by_use = _with_counts(UseCase, "tools")
        by_family = _with_counts(ModelFamily, "tools")
        cards = Tool.objects.listed().for_cards()
        return super().get_context_data(
            by_output=by_output,
            by_use=by_use,
            by_family=by_family,
            recently_added=cards.order_by("-created", "name")[:6],
            recently_verified=cards.filter(last_verified__isnull=False).order_by(
                "-last_verified", "name"
            )[:6],
            **kwargs,
        )


class ToolListView(TemplateView):
    """The faceted catalogue; taxonomy pages reuse it with one facet pinned."""

    template_name = "catalog/tool_list.html"
    pinned_facet: str | None = None

    def get_base_queryset(self) -> QuerySet:
        # Discontinued tools leave the listing but stay findable by search.
        if self.request.GET.get("q", "").strip():
            return Tool.objects.exclude(status=Tool.Status.DRAFT)
        return Tool.objects.listed()

    def get_pinned(self) -> dict[str, str]:
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        result = browse(
            self.request.GET,
            base=self.get_base_queryset(),
            taxonomy=load_taxonomy(),
            pinned=self.get_pinned(),
        )
        page_number = self.request.GET.get("page", "1")
        paginator = Paginator(result.tools.for_cards(), PAGE_SIZE)
        page = paginator.get_page(page_number)
        notes = list(result.parsed.ignored)
        if page_number not in ("1", str(page.number)):
            notes.append(f"there is no page “{page_number[:20]}”, so this is page {page.number}")
        return super().get_context_data(
            browse=result,
            page_obj=page,
            tools=page.object_list,
            notes=notes,
            clear_url=result.clear_url,
            prev_url=result.url(page=str(page.previous_page_number()))
            if page.has_previous()
            else None,
            next_url=result.url(page=str(page.next_page_number())) if page.has_next() else None,
            **kwargs,
        )


class TaxonomyToolListView(ToolListView):
    """A vocabulary entry's page: its explanation above the catalogue filtered to it."""

    model: type = Modality
    template_name = "catalog/taxonomy_detail.html"

    def get_object(self):
        if not hasattr(self, "object"):
            self.object = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return self.object

    def get_pinned(self) -> dict[str, str]:
        return {self.pinned_facet: self.get_object().slug}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(object=self.get_object(), facet=self.pinned_facet, **kwargs)


class ModalityView(TaxonomyToolListView):
    model = Modality
    pinned_facet = "output"


class FamilyView(TaxonomyToolListView):
    model = ModelFamily
    pinned_facet = "family"


class UseCaseView(TaxonomyToolListView):
    model = UseCase
    pinned_facet = "use"


class VendorView(TaxonomyToolListView):
    model = Vendor
    pinned_facet = "vendor"


class ToolDetailView(DetailView):
    template_name = "catalog/tool_detail.html"
    context_object_name = "tool"

    def get_queryset(self) -> QuerySet:
        # The page renders every relation; load each once. Drafts only for staff previews.
        return (
            Tool.objects.visible_to(self.request.user)
            .select_related("vendor", "replaced_by")
            .prefetch_related(
                "input_modalities",
                "output_modalities",
                "families",
                "use_cases",
                "interactions",
                "platforms",
                Prefetch("ai_models", queryset=_ai_models()),
                Prefetch("plans", queryset=PricingPlan.objects.order_by("position", "price")),
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        tool = self.object
        similar = similar_tools(tool, candidates=Tool.objects.listed().for_cards())
        return super().get_context_data(similar=similar, **kwargs)


def _ai_models() -> QuerySet:
    return AIModel.objects.select_related("family", "developer")


def _with_counts(model: type, relation: str) -> QuerySet:
    published = Q(**{f"{relation}__status": Tool.Status.PUBLISHED})
    return model.objects.annotate(n=Count(relation, filter=published)).filter(n__gt=0)
