from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from catalog.discovery_views import robots_txt
from catalog.sitemaps import SITEMAPS
from editorial.password_reset import urlpatterns as password_reset_urls
from editorial.sitemaps import ReviewSitemap

urlpatterns = [
    *password_reset_urls,
    path(settings.ADMIN_URL, admin.site.urls),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {**SITEMAPS, "reviews": ReviewSitemap}},
        name="sitemap",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("", include("catalog.urls")),
    path("", include("editorial.urls")),
]

# Also answers 503 when the database is unreachable (see directory/errors.py).
handler500 = "directory.errors.server_error"
