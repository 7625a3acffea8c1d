"""The admin index's dashboard: what is waiting for an editor, with a link to each queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from catalog.models import Tool
from editorial.models import LinkCheck, Review, Submission


@dataclass(frozen=True)
class Waiting:
    label: str
    count: int
    url: str


def waiting(*, user: Any) -> list[Waiting]:
    """One count per queue the user may open; one query each."""
    rows: list[Waiting] = []
    if user.has_perm("editorial.view_submission"):
        pending = Submission.objects.pending()
        for kind, label in [
            (Submission.Kind.NEW_TOOL, "suggestions to moderate"),
            (Submission.Kind.PROBLEM, "problem reports to moderate"),
        ]:
            rows.append(
                Waiting(
                    label,
                    pending.filter(kind=kind).count(),
                    _url("editorial_submission", status__exact="pending", kind__exact=kind),
                )
            )
    if user.has_perm("editorial.view_review"):
        rows.append(
            Waiting(
                "reviews waiting to be published",
                Review.objects.filter(status=Review.Status.IN_REVIEW).count(),
                _url("editorial_review", status__exact=Review.Status.IN_REVIEW),
            )
        )
    if user.has_perm("catalog.view_tool"):
        rows.append(
            Waiting(
                "public tools to check again",
                Tool.objects.public().stale().count(),
                _url("editorial_tooltoverify"),
            )
        )
    if user.has_perm("editorial.view_linkcheck"):
        rows.append(
            Waiting(
                "broken links",
                LinkCheck.objects.filter(state=LinkCheck.State.BROKEN).count(),
                _url("editorial_linkcheck", state__exact=LinkCheck.State.BROKEN),
            )
        )
    return rows


def _url(prefix: str, **query: str) -> str:
    url = reverse(f"admin:{prefix}_changelist")
    return f"{url}?{urlencode(query)}" if query else url
