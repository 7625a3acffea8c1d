"""Keep each tool's `review_score` equal to its latest published review's overall score.

The catalogue filters and sorts on that column (and its facet index reads it),
so the score is copied onto the tool instead of joined on every page. Any
save or delete of a review re-derives the score of its tool, and of the tool
it was moved away from, so no tool keeps a score without a review.
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


def sync_review_score(*tool_ids: int) -> None:
    for tool_id in dict.fromkeys(tool_ids):
        Tool.objects.filter(pk=tool_id).update(review_score=latest_score(tool_id))
    bump()  # update() sends no signal


def remember_tool(sender: type, instance: Review, **kwargs: object) -> None:
    """Before a save, note which tool the review belonged to (it may be moving)."""
    if instance.pk is None:
        instance._previous_tool_id = None
        return
    instance._previous_tool_id = (
        Review.objects.filter(pk=instance.pk).values_list("tool_id", flat=True).first()
    )


def on_review_change(sender: type, instance: Review, **kwargs: object) -> None:
    # Raw saves too: restoring a version from history saves raw, and the score
    # must follow it. loaddata of reviews pays one UPDATE per review.
    previous = getattr(instance, "_previous_tool_id", None)
    sync_review_score(*[pk for pk in (previous, instance.tool_id) if pk is not None])
