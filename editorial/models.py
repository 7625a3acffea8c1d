"""Editorial work on the catalogue: reviews, visitors' submissions and link checks.

Reviews are written by editors and published by senior editors (the
`publish_review` permission). Submissions are what visitors send us: new tools
and problem reports, waiting in one moderation queue. Link checks record the
last answer each tool's website and source URL gave the link checker.
"""

from __future__ import annotations

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from catalog.models import PUBLIC_STATUSES, Modality, PricingModel, Tool
from editorial.markdown import render_markdown

SCORES = {
    "score_quality": "output quality",
    "score_ease": "ease of use",
    "score_value": "value for money",
    "score_integration": "integration",
    "score_rights": "rights clarity",
    "score_overall": "overall",
}
# Slugs that would be shadowed by the fixed /reviews/... pages.
RESERVED_SLUGS = {"feed", "by"}


def _score_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1 to 5."
    )


def _score_constraint(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=f"review_{field}_1_to_5",
    )


def _lines(text: str) -> list[str]:
    return [line.strip(" -*\t") for line in text.splitlines() if line.strip(" -*\t")]


class ReviewQuerySet(models.QuerySet["Review"]):
    def published(self) -> ReviewQuerySet:
        """Reviews an editor has published, whatever their tool's status (the tool's score)."""
        return self.filter(status=Review.Status.PUBLISHED)

    def public(self) -> ReviewQuerySet:
        """What visitors may read: published reviews of tools they may open.

        A published review of a draft tool stays hidden on every page, feed and
        sitemap until the tool itself is public.
        """
        return self.published().filter(tool__status__in=PUBLIC_STATUSES)

    def visible_to(self, user) -> ReviewQuerySet:
        """Public reviews for everyone; drafts, reviews in review and hidden tools' for staff."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.public()

    def newest_first(self) -> ReviewQuerySet:
        return self.order_by(models.F("published_at").desc(nulls_last=True), "-pk")


class ReviewManager(models.Manager.from_queryset(ReviewQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, slug: str) -> Review:
        """Fixtures refer to reviews by slug, never by primary key."""
        return self.get(slug=slug)


class ReviewMethod(models.TextChoices):
    HANDS_ON = "hands_on", "Hands-on test"
    DOCUMENTATION = "documentation", "Documentation review"


@reversion.register()
class Review(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    Method = ReviewMethod

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    headline = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160)
    verdict = models.TextField(max_length=800, help_text="One paragraph: who should use it, why.")
    body = models.TextField(
        blank=True, help_text="Markdown. Raw HTML is removed when the review is shown."
    )
    pros = models.TextField(blank=True, help_text="One per line.")
    cons = models.TextField(blank=True, help_text="One per line.")
    best_for = models.CharField(max_length=300, blank=True)
    not_for = models.CharField(max_length=300, blank=True)

    score_quality = _score_field("output quality")
    score_ease = _score_field("ease of use")
    score_value = _score_field("value for money")
    score_integration = _score_field("integration")
    score_rights = _score_field("rights clarity")
    score_overall = _score_field("overall score")

    method = models.CharField(
        max_length=20,
        choices=ReviewMethod,
        help_text="Hands-on test: an editor used the tool on real tasks. Documentation "
        "review: judged from the vendor's published terms, pricing, documentation and "
        "features only, without using the tool. Readers, the feed and search engines see it.",
    )
    plan_tested = models.CharField(max_length=120, blank=True)
    version_tested = models.CharField(max_length=120, blank=True)
    tested_on = models.DateField(
        help_text="Hands-on test: when we last used the tool. Documentation review: the "
        "date of the documentation we judged."
    )

    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ReviewManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_review", "Can publish reviews")]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="review_slug_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "published"]),
                name="review_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="review_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(method__in=ReviewMethod.values), name="review_method_valid"
            ),
            *[_score_constraint(field) for field in SCORES],
        ]
        indexes = [
            # /reviews/ and the feed: published, newest first.
            models.Index(fields=["status", "-published_at"], name="review_status_published_idx"),
            # The tool page's lead review.
            models.Index(
                fields=["tool", "status", "-published_at"], name="review_tool_published_idx"
            ),
            # An author's page.
            models.Index(
                fields=["author", "status", "-published_at"], name="review_author_published_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("editorial:review_detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        if self.status == self.Status.PUBLISHED:
            self.publish()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": "That address is taken by another page."})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_hands_on(self) -> bool:
        return self.method == ReviewMethod.HANDS_ON

    def publish(self, *, now=None) -> None:
        """Mark published, keeping the first publication date if there is one."""
        self.status = self.Status.PUBLISHED
        self.published_at = self.published_at or now or timezone.now()

    @cached_property
    def body_html(self) -> SafeString:
        return render_markdown(self.body)

    @property
    def pros_list(self) -> list[str]:
        return _lines(self.pros)

    @property
    def cons_list(self) -> list[str]:
        return _lines(self.cons)

    @property
    def scores(self) -> list[tuple[str, int]]:
        """The five part scores as (label, score), overall excluded."""
        return [(label, getattr(self, field)) for field, label in SCORES.items()][:-1]


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def pending(self) -> SubmissionQuerySet:
        return self.filter(status=Submission.Status.PENDING)


@reversion.register()
class Submission(models.Model):
    """A visitor's suggestion of a new tool, or a report of a problem with a listed one.

    Everything here is visitor input: it is shown escaped, never as HTML.
    """

    class Kind(models.TextChoices):
        NEW_TOOL = "new_tool", "New tool"
        PROBLEM = "problem", "Problem report"

    class Reason(models.TextChoices):
        WRONG_PRICE = "wrong_price", "Wrong price"
        WRONG_LICENCE = "wrong_licence", "Wrong licence or rights"
        DEAD_LINK = "dead_link", "Dead link"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    kind = models.CharField(max_length=20, choices=Kind)
    tool = models.ForeignKey(
        Tool,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        help_text="The tool a problem report is about.",
    )
    reason = models.CharField(max_length=20, choices=Reason, blank=True)
    name = models.CharField(max_length=120, blank=True)
    website = models.URLField(max_length=200, blank=True)
    pitch = models.CharField(max_length=200, blank=True)
    pricing_model = models.CharField(max_length=20, choices=PricingModel, blank=True)
    modalities = models.ManyToManyField(
        Modality, blank=True, related_name="+", verbose_name="what it makes"
    )
    email = models.EmailField(blank=True)
    message = models.TextField(max_length=2000, blank=True)

    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    rejection_reason = models.CharField(
        max_length=300, blank=True, help_text="Required to reject; visitors never see it."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The editor who approved, rejected or marked it as spam.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    copies = models.PositiveIntegerField(
        "identical copies",
        default=0,
        help_text="How many more identical copies arrived while it was pending.",
    )
    created_tool = models.ForeignKey(
        Tool,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tool",
        help_text="The draft tool this suggestion became, or the listed tool it matched.",
    )
    client_hash = models.CharField(
        max_length=64, blank=True, help_text="Keyed hash of the sender's address, never the IP."
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["new_tool", "problem"]), name="submission_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "spam"]),
                name="submission_status_valid",
            ),
            # Moderation leaves a trail: every decision has a date, every rejection a reason.
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="submission_decision_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="submission_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(reason="")
                | Q(reason__in=["wrong_price", "wrong_licence", "dead_link", "other"]),
                name="submission_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="new_tool") | Q(tool__isnull=False, reason__gt=""),
                name="submission_report_has_tool_and_reason",
            ),
        ]
        indexes = [
            # The moderation queue: pending first, oldest waiting longest.
            models.Index(fields=["status", "created"], name="submission_status_created_idx"),
            # Grouping an identical report with the pending one on the same tool.
            models.Index(fields=["tool", "status", "reason"], name="submission_tool_status_idx"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.PROBLEM:
            return f"{self.get_reason_display()}: {self.tool}"
        return f"New tool: {self.name}"

    def clean(self) -> None:
        if self.status == self.Status.REJECTED and not self.rejection_reason.strip():
            raise ValidationError({"rejection_reason": "Say why it is rejected."})

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class LinkState(models.TextChoices):
    OK = "ok", "Working"
    BROKEN = "broken", "Broken"
    UNREACHABLE = "unreachable", "Could not check"


class LinkCheckRun(models.Model):
    """One run of the link checker: what it checked, what it found, and whether it counted.

    A run that could not reach most links is recorded as abandoned and changes
    no result: an offline machine must not mark the whole catalogue broken.
    """

    class Outcome(models.TextChoices):
        COMPLETED = "completed", "Completed"
        ABANDONED = "abandoned", "Abandoned: most links could not be checked"

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome, default=Outcome.COMPLETED)
    checked = models.PositiveIntegerField(default=0)
    ok = models.PositiveIntegerField(default=0)
    broken = models.PositiveIntegerField(default=0)
    unreachable = models.PositiveIntegerField("could not check", default=0)
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "link check run"
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["completed", "abandoned"]),
                name="linkcheckrun_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.get_outcome_display()})"


class LinkCheck(models.Model):
    """The latest answer one of a tool's URLs gave the link checker."""

    State = LinkState

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="link_checks")
    url = models.URLField(max_length=500)
    state = models.CharField(max_length=20, choices=LinkState, default=LinkState.OK)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)
    run = models.ForeignKey(
        LinkCheckRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["state", "-checked_at"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "url"], name="linkcheck_tool_url_unique"),
            models.CheckConstraint(
                condition=Q(state__in=LinkState.values), name="linkcheck_state_valid"
            ),
        ]
        indexes = [
            # The admin's state filter and the dashboards' broken-link counts.
            models.Index(fields=["state", "-checked_at"], name="linkcheck_state_checked_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.get_state_display().lower()})"

    @property
    def ok(self) -> bool:
        return self.state == LinkState.OK


class LinkCheckResult(models.Model):
    """One answer from one run: the history behind each link's latest state."""

    run = models.ForeignKey(LinkCheckRun, on_delete=models.CASCADE, related_name="results")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=500)
    state = models.CharField(max_length=20, choices=LinkState)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=LinkState.values), name="linkcheckresult_state_valid"
            ),
        ]
        indexes = [
            # One link's history, newest first (the admin's history of a tool's links).
            models.Index(fields=["tool", "url", "-checked_at"], name="linkresult_tool_url_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.url}: {self.get_state_display().lower()}"


class ToolToVerify(Tool):
    """The freshness dashboard: the catalogue's tools seen from the editors' to-do side."""

    class Meta:
        proxy = True
        verbose_name = "tool to re-verify"
        verbose_name_plural = "freshness: tools to re-verify"
