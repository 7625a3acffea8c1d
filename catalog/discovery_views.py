"""Discovery pages: comparison, alternatives, the LLM explainer, search suggestions, robots.txt."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from pyroaring import BitMap

from catalog import compare
from catalog.facet_index import get_index
from catalog.models import LicenceClass, Modality, ModelFamily, Tool
from catalog.similar import similar_tools
from catalog.suggest import suggest

MAX_ALTERNATIVES = 24
SUGGESTIONS = 6

# name -> (label, facet-index options that qualify, ORed)
ALTERNATIVE_FILTERS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "free": ("Free or free tier", [("free", "1"), ("pricing", Tool.PricingModel.FREE)]),
    "open": (
        "Open source or open weights",
        [("licence", LicenceClass.OPEN_SOURCE), ("licence", LicenceClass.OPEN_WEIGHTS)],
    ),
    "commercial": ("Commercial use allowed", [("commercial", Tool.CommercialUse.ALLOWED)]),
}


class CompareView(TemplateView):
    """`?tools=a,b,c`: 2 to 4 tools side by side; other spellings redirect to the canonical one."""

    template_name = "catalog/compare.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = request.GET.get("tools", "")
        self.selection = compare.select(raw)
        self.only_differences = request.GET.get("diff") == "1"
        slugs, _rejected = compare.parse_slugs(raw)
        canonical = ",".join(slugs)
        if raw != canonical and canonical and len(slugs) <= compare.MAX_TOOLS:
            return HttpResponseRedirect(self.url(canonical, diff=self.only_differences))
        context = self.get_context_data(**kwargs)
        status = 400 if self.selection.too_many else 200
        return self.render_to_response(context, status=status)

    @staticmethod
    def url(tools: str, *, diff: bool = False) -> str:
        query = QueryDict(mutable=True)
        if tools:
            query["tools"] = tools
        if diff:
            query["diff"] = "1"
        encoded = query.urlencode(safe=",")
        return reverse("catalog:compare") + (f"?{encoded}" if encoded else "")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        selection = self.selection
        tools = selection.tools
        return super().get_context_data(
            selection=selection,
            max_tools=compare.MAX_TOOLS,
            first_four_url=self.url(",".join(selection.slugs[: compare.MAX_TOOLS])),
            columns=[
                (tool, self.url(selection.without(tool.slug), diff=self.only_differences))
                for tool in tools
            ],
            sections=compare.build_sections(tools, only_differences=self.only_differences)
            if not selection.too_few
            else [],
            only_differences=self.only_differences,
            all_rows_url=self.url(selection.query),
            differences_url=self.url(selection.query, diff=True),
            suggestions=self.suggestions(),
            canonical_path=self.url(selection.query) if not selection.too_few else None,
            # The set, for the compare tray script (static/js/compare-tray.js).
            tray=[{"slug": tool.slug, "name": tool.name} for tool in tools],
            **kwargs,
        )

    def suggestions(self) -> list[tuple[Tool, str]]:
        """Tools like the first one, each with the link that adds it to the set (one query)."""
        selection = self.selection
        if not selection.tools or len(selection.tools) >= compare.MAX_TOOLS:
            return []
        index = get_index()
        candidates = index.universe([Tool.Status.PUBLISHED]) - BitMap(t.pk for t in selection.tools)
        similar = similar_tools(
            index, selection.tools[0].pk, universe=candidates, limit=SUGGESTIONS, for_grid=False
        )
        return [
            (tool, self.url(selection.adding(tool.slug), diff=self.only_differences))
            for tool in similar
        ]


class AlternativesView(TemplateView):
    """Tools that do the same job as one tool, narrowed by free / open / commercial links."""

    template_name = "catalog/alternatives.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        tool = get_object_or_404(
            Tool.objects.exclude(status=Tool.Status.DRAFT), slug=self.kwargs["slug"]
        )
        active = [name for name in ALTERNATIVE_FILTERS if self.request.GET.get(name) == "1"]
        # Ranking and the free / open / commercial filters run on the facet index.
        index = get_index()
        candidates = index.universe([Tool.Status.PUBLISHED])
        for name in active:
            options = ALTERNATIVE_FILTERS[name][1]
            candidates &= BitMap.union(*(index.selection(f, [v]) for f, v in options))
        alternatives = similar_tools(index, tool.pk, universe=candidates, limit=MAX_ALTERNATIVES)
        return super().get_context_data(
            tool=tool,
            tools=alternatives,
            filter_links=[
                (label, _toggle(active, name), name in active)
                for name, (label, _q) in ALTERNATIVE_FILTERS.items()
            ],
            any_filter=bool(active),
            max_alternatives=MAX_ALTERNATIVES,
            **kwargs,
        )


def _toggle(active: list[str], name: str) -> str:
    names = [n for n in active if n != name] if name in active else [*active, name]
    query = QueryDict(mutable=True)
    for n in ALTERNATIVE_FILTERS:
        if n in names:
            query[n] = "1"
    return f"?{query.urlencode()}" if names else "?"


class SuggestView(TemplateView):
    """`?q=`: the suggestion list under the header search box (an htmx fragment)."""

    template_name = "catalog/search_suggest.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.get("q", "")
        return super().get_context_data(suggestions=suggest(query), **kwargs)

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response


class LLMExplainerView(TemplateView):
    """ "LLMs vs generative AI", with live counts from the catalogue."""

    template_name = "catalog/explainer_llm.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        published = Q(tools__status=Tool.Status.PUBLISHED)
        families = ModelFamily.objects.annotate(n=Count("tools", filter=published))
        modalities = Modality.objects.annotate(
            n=Count("output_tools", filter=Q(output_tools__status=Tool.Status.PUBLISHED))
        ).filter(n__gt=0)
        language = ModelFamily.tools.through.objects.filter(
            tool_id=OuterRef("pk"), modelfamily__is_language=True
        )
        tools = Tool.objects.published()
        counts = tools.aggregate(
            total=Count("pk"),
            llm=Count("pk", filter=Q(Exists(language))),
        )
        return super().get_context_data(
            families=families,
            modalities=modalities,
            total=counts["total"],
            llm_count=counts["llm"],
            other_count=counts["total"] - counts["llm"],
            **kwargs,
        )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
