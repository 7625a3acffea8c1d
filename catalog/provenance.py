"""Where a tool's facts come from: one `Verification` row per check, and what follows.

A tool page must say how and when its facts were obtained, truthfully. Only two
methods count as an editor's check (against the vendor's page, or confirmed by
the vendor), and only those move `Tool.last_checked`, which the stale rules,
the freshness view and the "recently checked" sort read. Everything else
(public documentation as of a date, a third party's report, demo data) is
recorded as what it is and never shown as a check.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from catalog.models import Tool


class Method(models.TextChoices):
    VENDOR_PAGE = "vendor_page", "Checked against the vendor's page"
    VENDOR_CONFIRMED = "vendor_confirmed", "Confirmed by the vendor"
    PUBLIC_DOCS = "public_docs", "From public documentation as of a date"
    THIRD_PARTY = "third_party", "From a third-party report"
    DEMO = "demo", "Demo data"


# The methods that are an editor's check: they need a named editor and move `last_checked`.
EDITOR_CHECKS = (Method.VENDOR_PAGE, Method.VENDOR_CONFIRMED)
# The methods whose facts sit on a page a reader can open.
NEEDS_SOURCE = (Method.VENDOR_PAGE, Method.PUBLIC_DOCS, Method.THIRD_PARTY)


class FactGroup(models.TextChoices):
    PRICING = "pricing", "pricing"
    RIGHTS = "rights", "rights"
    LICENCE = "licence", "licence"
    CAPABILITIES = "capabilities", "capabilities"


def is_homepage(url: str) -> bool:
    """A site's front page (no path beyond "/", no query): it rarely holds a price or a term."""
    parts = urlsplit(url)
    return parts.path.strip("/") == "" and not parts.query


class VerificationManager(models.Manager["Verification"]):
    def get_by_natural_key(
        self, tool_slug: str, method: str, as_of: str, source_url: str
    ) -> Verification:
        return self.get(tool__slug=tool_slug, method=method, as_of=as_of, source_url=source_url)


class Verification(models.Model):
    """One check of some of a tool's facts: how, when, by whom, against which page."""

    Method = Method

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="verifications")
    method = models.CharField(
        max_length=20,
        choices=Method,
        help_text="Only 'checked against the vendor's page' and 'confirmed by the vendor' "
        "count as an editor's check.",
    )
    as_of = models.DateField(
        "as of",
        help_text="The day the facts were true to the source: the day of a check, or the "
        "date of the documentation or report. Never in the future.",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tool_checks",
        help_text="The editor who did the check; required for the two check methods.",
    )
    source_url = models.URLField(
        "source URL",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="The page that holds the facts (pricing page, terms, licence file), not a "
        "home page. Required except for facts the vendor confirmed and demo data.",
    )
    notes = models.TextField(
        blank=True, help_text="What was checked and what changed, or a short quote."
    )
    covers_pricing = models.BooleanField("pricing", default=False, help_text="Plans, prices.")
    covers_rights = models.BooleanField(
        "rights", default=False, help_text="Commercial use, ownership, indemnity, training."
    )
    covers_licence = models.BooleanField("licence", default=False, help_text="Licence class, id.")
    covers_capabilities = models.BooleanField(
        "capabilities",
        default=False,
        help_text="What goes in and out, models, platforms, API.",
    )
    recorded_at = models.DateTimeField(
        default=timezone.now, editable=False, help_text="When this record was entered here."
    )

    objects = VerificationManager()

    class Meta:
        verbose_name = "provenance record"
        ordering = ["-as_of", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=Method.values), name="verification_method_valid"
            ),
            # "Checked by <editor>" must always be able to name the editor.
            models.CheckConstraint(
                condition=~Q(method__in=EDITOR_CHECKS) | Q(checked_by__isnull=False),
                name="verification_check_has_editor",
            ),
            models.CheckConstraint(
                condition=~Q(method__in=NEEDS_SOURCE) | ~Q(source_url=""),
                name="verification_has_source",
            ),
            models.CheckConstraint(
                condition=Q(covers_pricing=True)
                | Q(covers_rights=True)
                | Q(covers_licence=True)
                | Q(covers_capabilities=True),
                name="verification_covers_something",
            ),
            # Also the natural key fixtures load by: one record per tool, method, day and page.
            models.UniqueConstraint(
                fields=["tool", "method", "as_of", "source_url"], name="verification_unique"
            ),
        ]
        indexes = [
            # A tool page's trail and the last-checked recompute: a tool's records, newest first.
            models.Index(fields=["tool", "-as_of"], name="verification_tool_as_of_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.tool}: {self.get_method_display()} ({self.as_of:%Y-%m-%d})"

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            refresh_last_checked(tool_ids=[self.tool_id])

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            refresh_last_checked(tool_ids=[self.tool_id])
        return result

    def natural_key(self) -> tuple[str, str, str, str]:
        return (self.tool.slug, self.method, self.as_of.isoformat(), self.source_url)

    natural_key.dependencies = ["catalog.tool"]  # type: ignore[attr-defined]

    @property
    def is_editor_check(self) -> bool:
        return self.method in EDITOR_CHECKS

    @property
    def groups(self) -> list[str]:
        return [group for group in FactGroup.values if getattr(self, f"covers_{group}")]

    @property
    def source_label(self) -> str:
        """The source as a reader recognises it: host and path, without the scheme."""
        parts = urlsplit(self.source_url)
        return (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")

    @property
    def editor_name(self) -> str:
        """Who checked (touches `checked_by`: select it with the records)."""
        user = self.checked_by
        return (user.get_full_name() or user.get_username()) if user else ""

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.as_of and self.as_of > timezone.localdate():
            errors["as_of"] = "A check cannot be dated in the future."
        if self.method in EDITOR_CHECKS and not self.checked_by_id:
            errors["checked_by"] = "Name the editor who did the check."
        if self.method in NEEDS_SOURCE and not self.source_url:
            errors["source_url"] = "Give the page that holds the facts."
        elif self.source_url and self.method == Method.VENDOR_PAGE and is_homepage(self.source_url):
            errors["source_url"] = (
                "Give the page that holds the facts (pricing, terms, licence), not the home page."
            )
        if not self.groups:
            errors["covers_pricing"] = "Tick the facts this record covers."
        if errors:
            raise ValidationError(errors)


def refresh_last_checked(*, tool_ids: Iterable[int] | None = None) -> int:
    """Set `Tool.last_checked` from the editor checks, for `tool_ids` or every tool.

    One read, then one UPDATE per distinct new date; returns how many tools
    changed. Callers that bypass `Verification.save` (fixture loads, bulk
    imports) call it afterwards. UPDATE sends no signal: callers bump the
    catalogue version (a record's own save already does).
    """
    latest = (
        Verification.objects.filter(tool=OuterRef("pk"), method__in=EDITOR_CHECKS)
        .order_by()
        .values("tool")
        .annotate(latest=Max("as_of"))
        .values("latest")
    )
    tools = Tool.objects.all() if tool_ids is None else Tool.objects.filter(pk__in=list(tool_ids))
    rows = tools.annotate(latest=Subquery(latest)).values_list("pk", "last_checked", "latest")
    changed: dict[datetime.date | None, list[int]] = {}
    for pk, current, new in rows.order_by():
        if current != new:
            changed.setdefault(new, []).append(pk)
    for day, pks in changed.items():
        Tool.objects.filter(pk__in=pks).update(last_checked=day)
    return sum(map(len, changed.values()))


@dataclass(frozen=True)
class TrailLine:
    """One sentence of a tool page's provenance: a record and the fact groups it answers."""

    record: Verification
    groups: list[str]

    @property
    def covers_everything(self) -> bool:
        return len(self.groups) == len(FactGroup.values)

    @property
    def label(self) -> str:
        """ "Pricing, rights and licence" """
        names = self.groups
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def trail(records: Iterable[Verification]) -> list[TrailLine]:
    """For each fact group, the latest record covering it, with groups sharing a record merged.

    Editor checks outrank other records of the same group whatever their dates:
    a newer summary of public documentation does not undo a check. `records`
    should come newest first (the model's ordering).
    """
    best: dict[str, Verification] = {}
    for record in records:
        for group in record.groups:
            current = best.get(group)
            if current is None or (record.is_editor_check and not current.is_editor_check):
                best[group] = record
    lines: dict[int, TrailLine] = {}
    for group in FactGroup.values:
        record = best.get(group)
        if record is not None:
            lines.setdefault(record.pk, TrailLine(record, [])).groups.append(group)
    return list(lines.values())


def tool_trail(tool: Tool) -> list[TrailLine]:
    """The tool page's trail: one query, the records with their editors."""
    return trail(Verification.objects.filter(tool=tool).select_related("checked_by"))


@dataclass(frozen=True)
class CatalogueProvenance:
    """What the catalogue as a whole can claim about its published tools' facts."""

    published: int
    checked: int  # at least one editor's check
    stale: int  # checked, but not within CATALOG_STALE_AFTER_DAYS
    documented: int  # written from public documentation, never checked


def catalogue_provenance(*, today: datetime.date | None = None) -> CatalogueProvenance:
    """Counts for pages that describe the whole catalogue (two queries)."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.CATALOG_STALE_AFTER_DAYS)
    published = Tool.objects.published()
    counts = published.aggregate(
        published=models.Count("pk"),
        checked=models.Count("pk", filter=Q(last_checked__isnull=False)),
        stale=models.Count("pk", filter=Q(last_checked__lt=cutoff)),
    )
    documented = (
        published.filter(last_checked__isnull=True, verifications__method=Method.PUBLIC_DOCS)
        .distinct()
        .count()
    )
    return CatalogueProvenance(documented=documented, **counts)
