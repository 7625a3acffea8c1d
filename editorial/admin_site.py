"""The editors' admin site: its name, its dashboard, its 403 page and its pickers.

Installed through `EditorsAdminConfig` (editorial.apps), so `admin.site` is
this site everywhere, and every `@admin.register` lands here.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from editorial import dashboard

# What each admin view asks of the user, by the end of its URL name; any one of a tuple will do.
NEEDED = {
    "changelist": ("view", "change"),
    "change": ("view", "change"),
    "history": ("view", "change"),
    "add": ("add",),
    "delete": ("delete",),
    "recoverlist": ("add",),
    "recover": ("add",),
    "revision": ("change",),
}


class PickerAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete results that tell apart rows with the same name (a tool's status and slug)."""

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, str]:
        result = super().serialize_result(obj, to_field_name)
        return {**result, "text": getattr(obj, "picker_label", result["text"])}


class EditorsAdminSite(admin.AdminSite):
    site_header = "Toolfinder editors"
    site_title = "Toolfinder editors"
    index_title = "What is waiting"

    def index(self, request: HttpRequest, extra_context: dict | None = None):
        context = {"waiting": dashboard.waiting(user=request.user), **(extra_context or {})}
        return super().index(request, context)

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        return PickerAutocompleteJsonView.as_view(admin_site=self)(request)

    def admin_view(self, view, cacheable: bool = False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def with_admin_403(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return inner(request, *args, **kwargs)
            except PermissionDenied as exc:
                if not (request.user.is_active and request.user.is_staff):
                    raise
                return self.permission_denied(request, exc)

        return with_admin_403

    def permission_denied(self, request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        """A 403 inside the admin naming what the signed-in editor lacks."""
        context = {
            **self.each_context(request),
            "title": "You may not do this",
            "reason": str(exc) if exc.args else "",
            "missing": self.missing_permissions(request),
        }
        return TemplateResponse(request, "admin/403.html", context, status=403)

    def missing_permissions(self, request: HttpRequest) -> list[Permission]:
        """The permissions the page at this URL needs that the user does not have."""
        match = request.resolver_match
        name = match.url_name if match else ""
        for model in self._registry:
            opts = model._meta
            prefix = f"{opts.app_label}_{opts.model_name}_"
            if not (name or "").startswith(prefix):
                continue
            actions = NEEDED.get(name.removeprefix(prefix), ())
            if any(
                request.user.has_perm(f"{opts.app_label}.{a}_{opts.model_name}") for a in actions
            ):
                return []  # the page's own rule refused (e.g. publishing); the reason says it
            codenames = [f"{a}_{opts.model_name}" for a in actions]
            return list(
                Permission.objects.filter(
                    content_type__app_label=opts.app_label, codename__in=codenames
                ).select_related("content_type")
            )
        return []
