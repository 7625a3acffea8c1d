"""Read pages of the catalogue: small views over the browse, facets and similar modules."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.views.generic import DetailView, TemplateView
from pyroaring import BitMap

from catalog.browse import browse
from catalog.cards import cards
from catalog.facet_index import FacetIndex, get_index
from catalog.models import Modality, ModelFamily, PricingPlan, Tool, UseCase, Vendor
from catalog.provenance import catalogue_provenance, tool_trail
from catalog.search import suggest_spelling
from catalog.similar import similar_tools
from catalog.taxonomy import Term
from editorial.templatetags.editorial import latest_review

PAGE_SIZE = 24


class HomeView(TemplateView):
    template_name = "catalog/home.html"
    shelf_size = 8

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Counts come from the facet index; the two shelves share one query.
        index = get_index()
        published = index.universe([Tool.Status.PUBLISHED])
        newest = index.page(published, sort="newest", offset=0, limit=self.shelf_size)
        verified = index.page(
            published & index.verified, sort="verified", offset=0, limit=self.shelf_size
        )
        shelf = {c.pk: c for c in cards(list(dict.fromkeys([*newest, *verified])), index=index)}
        return super().get_context_data(
            by_output=term_counts(index, "output", "modalities", published),
            by_use=term_counts(index, "use", "use_cases", published),
            by_family=term_counts(index, "family", "families", published),
            recently_added=[shelf[i] for i in newest if i in shelf],
            recently_verified=[shelf[i] for i in verified if i in shelf],
            **kwargs,
        )


class ToolListView(TemplateView):
    """The faceted catalogue; taxonomy pages reuse it with one facet pinned."""

    template_name = "catalog/tool_list.html"
    pinned_facet: str | None = None

    def get_pinned(self) -> dict[str, str]:
        return {}

    def get_template_names(self) -> list[str]:
        # htmx swaps only the catalogue fragment; a history restore needs the whole page.
        htmx = self.request.htmx
        if htmx and not htmx.history_restore_request:
            return ["catalog/tool_list.html#catalogue"]
        return super().get_template_names()

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        # The same URL answers with a fragment or a page: caches must keep them apart.
        patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        result = browse(
            self.request.GET,
            # Discontinued tools leave the listing but stay findable by search.
            include_discontinued=bool(self.request.GET.get("q", "").strip()),
            pinned=self.get_pinned(),
        )
        page_number = self.request.GET.get("page", "1")
        paginator = Paginator(result.tools, PAGE_SIZE)
        page = paginator.get_page(page_number)
        notes = list(result.parsed.ignored)
        # A spelling to offer when a search finds nothing (the fragment never queries).
        suggestion = None
        if result.query and not len(result.tools):
            suggestion = suggest_spelling(result.query)
        if page_number not in ("1", str(page.number)):
            notes.append(f"there is no page “{page_number[:20]}”, so this is page {page.number}")
        return super().get_context_data(
            browse=result,
            page_obj=page,
            tools=page.object_list,
            notes=notes,
            suggestion=suggestion,
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
        # Tags (modalities, families, use cases, models) come from the facet index;
        # the replacement loads on its own, for the few discontinued tools.
        # Drafts only for staff previews.
        return (
            Tool.objects.visible_to(self.request.user)
            .select_related("vendor")
            .defer("search_vector")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        index = get_index()
        tool = self.object
        listed = index.universe([Tool.Status.PUBLISHED])
        return super().get_context_data(
            terms=index.terms_of(tool.pk),
            ai_models=index.models_of(tool.pk),
            plans=list(PricingPlan.objects.filter(tool=tool).order_by("position", "price")),
            similar=similar_tools(index, tool.pk, universe=listed),
            # At most one query, shared by the review summary and the JSON-LD.
            review=latest_review(tool),
            provenance=tool_trail(tool),
            **kwargs,
        )


class HowWeCheckView(TemplateView):
    """The methods behind every "where these facts come from" line, with today's counts."""

    template_name = "catalog/how_we_check.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            counts=catalogue_provenance(),
            stale_days=settings.CATALOG_STALE_AFTER_DAYS,
            **kwargs,
        )


def term_counts(
    index: FacetIndex, facet: str, vocabulary: str, tools: BitMap
) -> list[tuple[Term, int]]:
    """Each term of a vocabulary with how many of `tools` carry it; empty terms left out."""
    options = index.bitmaps.get(facet, {})
    counted = [
        (term, tools.intersection_cardinality(options.get(term.slug, BitMap())))
        for term in getattr(index.taxonomy, vocabulary)
    ]
    return [(term, n) for term, n in counted if n]
