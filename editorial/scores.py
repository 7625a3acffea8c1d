"""Keep each tool's `review_score` equal to its latest published review's overall score.

The catalogue filters and sorts on that column (and its facet index reads it),
so the score is copied onto the tool instead of joined on every page.
"""

from __future__ import annotations

from catalog.models import Tool
from catalog.versioning import bump
from editorial.models import Review


def latest_score(tool_id: int) -> int | None:
    return (
        Review.objects.published()
        .filter(tool_id=tool_id)
        .newest_first()
        .values_list("score_overall", flat=True)
        .first()
    )


def sync_review_score(tool_id: int) -> None:
    Tool.objects.filter(pk=tool_id).update(review_score=latest_score(tool_id))
    bump()  # update() sends no signal


def on_review_change(sender: type, instance: Review, **kwargs: object) -> None:
    if not kwargs.get("raw"):
        sync_review_score(instance.tool_id)
