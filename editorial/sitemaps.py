"""sitemap.xml entries for the reviews visitors may read."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from editorial.models import Review


class ReviewSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self) -> QuerySet:
        return Review.objects.public().only("slug", "updated").order_by("slug")

    def lastmod(self, item: Review):
        return item.updated
