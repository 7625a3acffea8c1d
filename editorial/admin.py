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
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.models import Version

from catalog.history_admin import HistoryAdmin
from catalog.models import PUBLIC_STATUSES, Tool
from catalog.provenance_admin import record_check
from editorial import submissions
from editorial.forms import PreviewForm, RejectForm, SubmissionDecisionForm
from editorial.markdown import render_markdown
from editorial.models import LinkCheck, LinkCheckRun, Review, Submission, ToolToVerify
from editorial.tasks import check_tool_links

PUBLISH_PERMISSION = "editorial.publish_review"
# An editor waits for a check run from the admin: a page of tools at most.
MAX_TOOLS_PER_CHECK = 50


@admin.register(Review)
class ReviewAdmin(HistoryAdmin):
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
    status_field = "status"
    fieldsets = (
        (None, {"fields": ("tool", "headline", "slug", "author", "status", "published_at")}),
        ("Verdict", {"fields": ("verdict", "best_for", "not_for", "pros", "cons")}),
        ("Review", {"fields": ("body", "body_preview")}),
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

    readonly_fields = ("body_preview",)

    class Media:
        js = ("editorial/review-preview.js",)
        css = {"all": ("editorial/admin.css",)}

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_delete_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        # Editors may throw away their own drafts; anything further along is a senior's call.
        if super().has_delete_permission(request, obj):
            return True
        return (
            obj is not None
            and obj.author_id == request.user.pk
            and obj.status == Review.Status.DRAFT
            and request.user.has_perm("editorial.change_review")
        )

    @admin.display(description="How the page shows it")
    def body_preview(self, obj: Review | None) -> str:
        saved = render_markdown(obj.body) if obj is not None and obj.pk else ""
        url = reverse("admin:editorial_review_preview")
        return format_html(
            '<div class="review-preview" data-preview-url="{}"><div class="review-preview-body">'
            "{}</div></div>",
            url,
            saved or "Nothing saved yet.",
        )

    def get_urls(self):
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_view),
            name="editorial_review_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The body as the public page renders it: the same Markdown and the same sanitiser."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        form = PreviewForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"error": "The body is too long to preview."}, status=400)
        return JsonResponse({"html": render_markdown(form.cleaned_data["body"])})

    def has_change_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        # Published text speaks for us: once out, only a senior editor changes it.
        if obj is not None and obj.is_published and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Review | None = None):
        if self.has_publish_permission(request):
            return self.readonly_fields
        return (*self.readonly_fields, "author", "published_at")

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
class SubmissionAdmin(HistoryAdmin):
    """The moderation queue: visitors' suggestions and problem reports, pending first.

    Every decision, from an action or from the form, goes through
    editorial.submissions, which records who decided, when and why.
    """

    form = SubmissionDecisionForm
    # Kind shows in each row's name ("New tool: ...", "Wrong price: ..."); who and when
    # share a column, so the list fits 1,366 px.
    list_display = ("__str__", "status", "copies", "created", "decision")
    list_filter = ("status", "kind", "reason", "decided_by")
    list_select_related = ("tool", "decided_by")
    search_fields = ("name", "website", "pitch", "message", "tool__name", "email")
    ordering = ("-status", "created")
    date_hierarchy = "created"
    actions = ("approve", "reject", "mark_spam")
    # What the visitor sent is read-only: editors judge it, they do not rewrite it.
    sent = (
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
        "copies",
        "client_hash",
        "created",
    )
    decision_fields = ("created_tool_link", "decided_by", "decided_at")
    fieldsets = (
        (
            "What the visitor sent",
            {
                "fields": (
                    ("kind", "tool", "reason"),
                    ("name", "website"),
                    "pitch",
                    ("pricing_model", "modalities"),
                    "email",
                    "message",
                    ("copies", "client_hash", "created"),
                )
            },
        ),
        (
            "Decision",
            {
                "fields": (
                    ("status", "rejection_reason"),
                    ("created_tool_link", "decided_by", "decided_at"),
                )
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Submissions come from visitors.

    def get_readonly_fields(self, request: HttpRequest, obj: Submission | None = None):
        # Asked of the stored row: a form being re-shown holds the status just typed.
        if obj is not None and not Submission.objects.filter(pk=obj.pk).pending().exists():
            # Decided: the trail is the record; reopening would rewrite it.
            return (*self.sent, "status", "rejection_reason", *self.decision_fields)
        return (*self.sent, *self.decision_fields)

    def save_model(self, request: HttpRequest, obj: Submission, form, change: bool) -> None:
        if "status" not in form.changed_data or obj.status == Submission.Status.PENDING:
            return super().save_model(request, obj, form, change)
        if obj.status == Submission.Status.APPROVED:
            self._approve_one(request, obj)
        elif obj.status == Submission.Status.REJECTED:
            submissions.reject(obj, reason=obj.rejection_reason, user=request.user)
        elif obj.status == Submission.Status.SPAM:
            submissions.mark_spam(obj, user=request.user)

    @admin.display(description="decided", ordering="decided_at")
    def decision(self, obj: Submission) -> str:
        if obj.decided_at is None:
            return "—"
        who = obj.decided_by.get_username() if obj.decided_by else "someone"
        return f"{who}, {date_format(timezone.localtime(obj.decided_at), 'j M Y H:i')}"

    @admin.display(description="tool")
    def created_tool_link(self, obj: Submission) -> str:
        if not obj.created_tool_id:
            return "—"
        url = reverse("admin:catalog_tool_change", args=[obj.created_tool_id])
        return format_html('<a href="{}">{}</a>', url, obj.created_tool)

    @admin.action(description="Approve (suggestions become draft tools)", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        pending = list(queryset.pending().prefetch_related("modalities"))
        for submission in pending:
            self._approve_one(request, submission)
        self.message_user(request, f"{len(pending)} submission(s) approved.", messages.SUCCESS)

    def _approve_one(self, request: HttpRequest, submission: Submission) -> None:
        if submission.kind == Submission.Kind.NEW_TOOL and not request.user.has_perm(
            "catalog.add_tool"
        ):
            raise PermissionDenied(
                "Approving a suggestion makes a draft tool: it needs catalog.add_tool."
            )
        tool, created = submissions.approve(submission, user=request.user)
        if tool is None:
            return
        url = reverse("admin:catalog_tool_change", args=[tool.pk])
        template = (
            'Draft tool <a href="{}">{}</a> created.'
            if created
            else 'Matched to the existing tool <a href="{}">{}</a>; no new draft was made.'
        )
        self.message_user(request, format_html(template, url, tool.name), messages.SUCCESS)

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        pending = list(queryset.pending())
        for submission in pending:
            submissions.mark_spam(submission, user=request.user)
        self.message_user(request, f"{len(pending)} submission(s) marked as spam.")

    @admin.action(description="Reject with a reason", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Submission]) -> HttpResponse | None:
        pending = queryset.pending()
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for submission in pending:
                submissions.reject(
                    submission, reason=form.cleaned_data["reason"], user=request.user
                )
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


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """The latest answer of each link; `manage.py check_links` or the freshness page refresh it."""

    list_display = ("url", "tool_link", "state", "status_code", "error", "checked_at")
    list_filter = ("state", "checked_at")
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


class ReadOnlyAdmin(admin.ModelAdmin):
    """A page editors read but never write: the checker and the catalogue write these rows."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LinkCheckRun)
class LinkCheckRunAdmin(ReadOnlyAdmin):
    """Every run of the link checker, abandoned ones included, newest first."""

    list_display = ("started_at", "outcome", "checked", "ok", "broken", "unreachable", "started_by")
    list_filter = ("outcome",)
    list_select_related = ("started_by",)
    date_hierarchy = "started_at"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("editorial.view_linkcheck")


class PublicStatusFilter(admin.SimpleListFilter):
    """Status, without the drafts this page never lists."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return [(value, Tool.Status(value).label) for value in PUBLIC_STATUSES]

    def queryset(self, request: HttpRequest, queryset: QuerySet):
        if self.value() in PUBLIC_STATUSES:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(ToolToVerify)
class FreshnessAdmin(ReadOnlyAdmin):
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
    list_filter = (PublicStatusFilter,)
    actions = ("check_links_now",)
    search_fields = ("name", "slug")
    ordering = ("last_checked", "name")
    change_list_template = "admin/editorial/tooltoverify/change_list.html"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("catalog.view_tool")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_check_links_permission(self, request: HttpRequest) -> bool:
        # A check rewrites link results about the catalogue; catalogue editors may run it.
        return request.user.has_perm("catalog.change_tool")

    @admin.action(description="Check links now", permissions=["check_links"])
    def check_links_now(self, request: HttpRequest, queryset: QuerySet[ToolToVerify]) -> None:
        ids = list(queryset.values_list("pk", flat=True)[:MAX_TOOLS_PER_CHECK])
        result = check_tool_links.enqueue(tool_ids=ids, user_id=request.user.pk)
        if not result.is_finished:
            self.message_user(request, f"Link check for {len(ids)} tool(s) queued.")
            return
        counts = result.return_value
        if counts["outcome"] == LinkCheckRun.Outcome.ABANDONED:
            self.message_user(request, counts["message"], messages.ERROR)
            return
        self.message_user(
            request,
            f"Checked the links of {len(ids)} tool(s): {counts['ok']} ok, {counts['broken']} "
            f"broken, {counts['unreachable']} could not be checked.",
            messages.WARNING if counts["broken"] else messages.SUCCESS,
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[ToolToVerify]:
        # Drafts are still being written; everything public must stay true.
        stale = ToolToVerify.objects.exclude(status=Tool.Status.DRAFT).stale()
        return (
            ToolToVerify.objects.exclude(status=Tool.Status.DRAFT)
            .filter(Q(pk__in=stale.values("pk")) | Q(source_url=""))
            .annotate(
                n_broken=Count("link_checks", filter=Q(link_checks__state=LinkCheck.State.BROKEN))
            )
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
