"""sitemap.xml: tools, taxonomy pages and the static pages worth finding."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Model, QuerySet
from django.urls import reverse

from catalog.models import Modality, ModelFamily, Tool, UseCase, Vendor


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


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self) -> list[str]:
        return ["catalog:home", "catalog:tool_list", "catalog:explainer_llm"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"pages": StaticSitemap, "tools": ToolSitemap, "topics": TaxonomySitemap}
