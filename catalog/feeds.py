"""Atom feed of newly added tools."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from catalog.models import Tool

FEED_SIZE = 30


class NewToolsFeed(Feed):
    feed_type = Atom1Feed
    title = "Toolfinder: newly added AI tools"
    subtitle = "Tools newly added to the catalogue."
    link = reverse_lazy("catalog:tool_list")

    def items(self) -> QuerySet:
        return Tool.objects.published().select_related("vendor").order_by("-created")[:FEED_SIZE]

    def item_title(self, item: Tool) -> str:
        return item.name

    def item_description(self, item: Tool) -> str:
        return item.pitch

    def item_pubdate(self, item: Tool):
        return item.created

    def item_updateddate(self, item: Tool):
        return item.updated

    def item_author_name(self, item: Tool) -> str | None:
        return item.vendor.name if item.vendor else None
