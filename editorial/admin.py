"""The editorial admin: reviews with a publishing gate, the moderation queue, freshness, links.

Editors write reviews and send them for review; only holders of
`editorial.publish_review` (senior editors) publish them or change them once
published. The gate is enforced in the form's choices, in `save_model` and in
the actions, so no single path can skip it.
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from catalog.models import Tool
from catalog.provenance_admin import record_check
from editorial import submissions
from editorial.forms import RejectForm
from editorial.models import LinkCheck, Review, Submission, ToolToVerify

PUBLISH_PERMISSION = "editorial.publish_review"


@admin.register(Review)
class ReviewAdmin(VersionAdmin):
    list_display = (
        "headline",
        "tool",
        "author",
        "method",
        "status",
        "score_overall",
        "published_at",
    )
    list_filter = ("status", "method", "score_overall", "author")
    list_select_related = ("tool", "author")
    search_fields = ("headline", "verdict", "tool__name", "author__username")
    autocomplete_fields = ("tool",)
    prepopulated_fields = {"slug": ("headline",)}
    date_hierarchy = "published_at"
    actions = ("submit_for_review", "publish")
    fieldsets = (
        (None, {"fields": ("tool", "headline", "slug", "author", "status", "published_at")}),
        ("Verdict", {"fields": ("verdict", "best_for", "not_for", "pros", "cons")}),
        ("Review", {"fields": ("body",)}),
        (
            "Scores",
            {
                "fields": (
                    ("score_quality", "score_ease", "score_value"),
                    ("score_integration", "score_rights", "score_overall"),
                )
            },
        ),
        (
            "How it was made",
            {"fields": ("method", ("plan_tested", "version_tested", "tested_on"))},
        ),
    )

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_change_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        # Published text speaks for us: once out, only a senior editor changes it.
        if obj is not None and obj.is_published and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Review | None = None):
        if self.has_publish_permission(request):
            return ()
        return ("author", "published_at")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "author":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [
                (value, label)
                for value, label in Review.Status.choices
                if value != Review.Status.PUBLISHED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Review, form, change: bool) -> None:
        if obj.status == Review.Status.PUBLISHED:
            if not self.has_publish_permission(request):
                raise PermissionDenied("Publishing a review needs the publish permission.")
            obj.publish()
        if not change and not obj.author_id:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        drafts = queryset.filter(status=Review.Status.DRAFT)
        count = self._set_status(request, drafts, Review.Status.IN_REVIEW, "Sent for review.")
        self.message_user(request, f"{count} review(s) sent for review.", messages.SUCCESS)

    @admin.action(description="Publish selected reviews", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        if not self.has_publish_permission(request):
            raise PermissionDenied
        waiting = queryset.exclude(status=Review.Status.PUBLISHED)
        count = self._set_status(request, waiting, Review.Status.PUBLISHED, "Published.")
        self.message_user(request, f"{count} review(s) published.", messages.SUCCESS)

    def _set_status(
        self, request: HttpRequest, queryset: QuerySet[Review], status: str, comment: str
    ) -> int:
        """Save each review so history records who changed its status."""
        reviews = list(queryset)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            for review in reviews:
                if status == Review.Status.PUBLISHED:
                    review.publish()
                else:
                    review.status = status
                review.save()
                self.log_change(request, review, comment)
        return len(reviews)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """The moderation queue: visitors' suggestions and problem reports, pending first."""

    list_display = ("__str__", "kind", "reason", "website", "status", "created")
    list_filter = ("status", "kind", "reason")
    list_select_related = ("tool",)
    search_fields = ("name", "website", "pitch", "message", "tool__name", "email")
    ordering = ("-status", "created")
    actions = ("approve", "reject")
    # What the visitor sent is read-only: editors judge it, they do not rewrite it.
    readonly_fields = (
        "kind",
        "tool",
        "reason",
        "name",
        "website",
        "pitch",
        "pricing_model",
        "modalities",
        "email",
        "message",
        "created_tool_link",
        "client_hash",
        "created",
    )
    fields = (
        ("kind", "tool", "reason"),
        ("name", "website"),
        "pitch",
        ("pricing_model", "modalities"),
        "email",
        "message",
        ("status", "rejection_reason"),
        ("created_tool_link", "client_hash", "created"),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Submissions come from visitors.

    @admin.display(description="draft tool")
    def created_tool_link(self, obj: Submission) -> str:
        if not obj.created_tool_id:
            return "—"
        url = reverse("admin:catalog_tool_change", args=[obj.created_tool_id])
        return format_html('<a href="{}">{}</a>', url, obj.created_tool)

    @admin.action(description="Approve (suggestions become draft tools)", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        if not request.user.has_perm("catalog.add_tool"):
            raise PermissionDenied
        pending = queryset.pending().prefetch_related("modalities")
        approved = 0
        for submission in pending:
            tool = submissions.approve(submission, user=request.user)
            approved += 1
            if tool is not None:
                url = reverse("admin:catalog_tool_change", args=[tool.pk])
                self.message_user(
                    request,
                    format_html('Draft tool <a href="{}">{}</a> created.', url, tool.name),
                    messages.SUCCESS,
                )
        self.message_user(request, f"{approved} submission(s) approved.", messages.SUCCESS)

    @admin.action(description="Reject with a reason", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Submission]) -> HttpResponse | None:
        pending = queryset.pending()
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for submission in pending:
                submissions.reject(submission, reason=form.cleaned_data["reason"])
            self.message_user(request, f"{len(pending)} submission(s) rejected.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "submissions": pending,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "title": "Reject submissions",
        }
        return render(request, "admin/editorial/submission/reject.html", context)


class LinkHealthFilter(admin.SimpleListFilter):
    title = "link health"
    parameter_name = "broken"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [("yes", "Broken"), ("no", "Working")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[LinkCheck]):
        if self.value() in ("yes", "no"):
            return queryset.filter(ok=self.value() == "no")
        return queryset


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """What the link checker found; run `manage.py check_links` to refresh it."""

    list_display = ("url", "tool_link", "ok", "status_code", "error", "checked_at")
    list_filter = (LinkHealthFilter, "checked_at")
    list_select_related = ("tool",)
    search_fields = ("url", "tool__name", "error")
    date_hierarchy = "checked_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LinkCheck | None = None) -> bool:
        return False

    @admin.display(description="tool", ordering="tool__name")
    def tool_link(self, obj: LinkCheck) -> str:
        url = reverse("admin:catalog_tool_change", args=[obj.tool_id])
        return format_html('<a href="{}">{}</a>', url, obj.tool)


@admin.register(ToolToVerify)
class FreshnessAdmin(admin.ModelAdmin):
    """Tools whose facts need checking again: stale, never checked, or without a source."""

    list_display = (
        "tool_link",
        "status",
        "last_checked",
        "has_source",
        "broken_links",
        "check_link",
    )
    list_display_links = None
    list_filter = ("status",)
    search_fields = ("name", "slug")
    ordering = ("last_checked", "name")
    change_list_template = "admin/editorial/tooltoverify/change_list.html"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("catalog.view_tool")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ToolToVerify]:
        # Drafts are still being written; everything public must stay true.
        stale = ToolToVerify.objects.exclude(status=Tool.Status.DRAFT).stale()
        return (
            ToolToVerify.objects.exclude(status=Tool.Status.DRAFT)
            .filter(Q(pk__in=stale.values("pk")) | Q(source_url=""))
            .annotate(n_broken=Count("link_checks", filter=Q(link_checks__ok=False)))
        )

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        return super().changelist_view(
            request,
            {
                "edits_by_editor": edits_by_editor(),
                "stale_days": settings.CATALOG_STALE_AFTER_DAYS,
                **(extra_context or {}),
            },
        )

    @admin.display(description="tool", ordering="name")
    def tool_link(self, tool: Tool) -> str:
        url = reverse("admin:catalog_tool_change", args=[tool.pk])
        return format_html('<a href="{}">{}</a>', url, tool.name)

    @admin.display(description="record a check")
    def check_link(self, tool: Tool) -> str:
        url = reverse("admin:editorial_tooltoverify_record_check", args=[tool.pk])
        return format_html('<a href="{}">I checked this today…</a>', url)

    def get_urls(self) -> list[URLPattern]:
        record = self.admin_site.admin_view(partial(record_check, model_admin=self))
        return [
            path("<int:pk>/checked/", record, name="editorial_tooltoverify_record_check"),
            *super().get_urls(),
        ]

    @admin.display(boolean=True, description="source")
    def has_source(self, tool: Tool) -> bool:
        return bool(tool.source_url)

    @admin.display(description="broken links", ordering="n_broken")
    def broken_links(self, tool: Any) -> int:
        return tool.n_broken


def edits_by_editor(*, days: int | None = None) -> list[dict[str, Any]]:
    """How many tool edits each editor saved recently, read from the history."""
    since = timezone.now() - datetime.timedelta(days=days or settings.CATALOG_STALE_AFTER_DAYS)
    return list(
        Version.objects.filter(
            content_type=ContentType.objects.get_for_model(Tool),
            revision__date_created__gte=since,
            revision__user__isnull=False,
        )
        .values("revision__user__username")
        .annotate(edits=Count("pk"), tools=Count("object_id", distinct=True))
        .order_by("-edits", "revision__user__username")
    )
