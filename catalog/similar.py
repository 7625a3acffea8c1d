"""Tools that do the same job as a given one, ranked by what they share."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from catalog.models import Tool

# What "doing the same job" weighs: the output matters most.
WEIGHTS = {"output_modalities": 3, "use_cases": 2, "families": 2, "input_modalities": 1}


def _shared(relation: str, ids: list[int]) -> Coalesce:
    through = getattr(Tool, relation).through
    target = getattr(Tool, relation).field.m2m_reverse_field_name()
    counted = (
        through.objects.filter(tool_id=OuterRef("pk"), **{f"{target}_id__in": ids})
        .values("tool_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def similar_tools(tool: Tool, *, candidates: QuerySet, limit: int = 6) -> QuerySet:
    """Up to `limit` tools from `candidates` sharing outputs or use cases with `tool`.

    Reads the tool's prefetched relations when present (no extra queries);
    the ranking itself is one query.
    """
    ids = {relation: [obj.pk for obj in getattr(tool, relation).all()] for relation in WEIGHTS}
    overlap = Q()
    for relation in ("output_modalities", "use_cases"):
        through = getattr(Tool, relation).through
        target = getattr(Tool, relation).field.m2m_reverse_field_name()
        overlap |= Q(
            Exists(
                through.objects.filter(
                    tool_id=OuterRef("pk"), **{f"{target}_id__in": ids[relation]}
                )
            )
        )
    score = sum(_shared(relation, ids[relation]) * weight for relation, weight in WEIGHTS.items())
    return (
        candidates.exclude(pk=tool.pk)
        .filter(overlap)
        .annotate(similarity=score)
        .order_by("-similarity", "name")[:limit]
    )
