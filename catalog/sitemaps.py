"""sitemap.xml: tools, taxonomy pages, popular comparisons and the static pages worth finding."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Model, QuerySet
from django.urls import reverse
from pyroaring import BitMap

from catalog.compare import canonical_query
from catalog.facet_index import get_index
from catalog.models import Modality, ModelFamily, Tool, UseCase, Vendor
from catalog.similar import similar_ids


class ToolSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet:
        return Tool.objects.published().only("slug", "updated").order_by("slug")

    def lastmod(self, item: Tool):
        return item.updated


class TaxonomySitemap(Sitemap):
    """Modality, family, use-case and vendor pages that list at least one published tool."""

    changefreq = "weekly"
    priority = 0.6
    # model -> relation to Tool
    relations: dict[type[Model], str] = {
        Modality: "output_tools",
        ModelFamily: "tools",
        UseCase: "tools",
        Vendor: "tools",
    }

    def items(self) -> list[Model]:
        pages: list[Model] = []
        for model, relation in self.relations.items():
            filters = {f"{relation}__status": Tool.Status.PUBLISHED}
            pages += model.objects.filter(**filters).distinct().only("slug").order_by("slug")
        return pages


class ComparisonSitemap(Sitemap):
    """Comparisons people look for: each featured tool with its closest featured rivals.

    For every featured tool, the pair with its most similar featured tool and
    the triple with its two most similar; one query plus the facet index.
    """

    changefreq = "weekly"
    priority = 0.5
    max_featured = 24

    def items(self) -> list[str]:
        featured = dict(
            Tool.objects.published()
            .filter(is_featured=True)
            .order_by("name")
            .values_list("pk", "slug")[: self.max_featured]
        )
        if len(featured) < 2:
            return []
        index = get_index()
        universe = BitMap(featured)
        sets: dict[str, None] = {}
        for pk, slug in featured.items():
            rivals = [featured[i] for i in similar_ids(index, pk, universe=universe, limit=2)]
            for size in (1, 2):
                if len(rivals) >= size:
                    sets[canonical_query([slug, *rivals[:size]])] = None
        return sorted(sets)

    def location(self, item: str) -> str:
        return f"{reverse('catalog:compare')}?tools={item}"


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self) -> list[str]:
        return ["catalog:home", "catalog:tool_list", "catalog:explainer_llm"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": StaticSitemap,
    "tools": ToolSitemap,
    "topics": TaxonomySitemap,
    "comparisons": ComparisonSitemap,
}
