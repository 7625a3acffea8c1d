"""Text search over tools behind one function, so the backend can change.

This portable version ranks name matches first, then pitch and vendor, then
description; it runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

MAX_TERMS = 8


def search_tools(queryset: QuerySet, query: str) -> QuerySet:
    """Tools matching every word of `query`, annotated with `relevance`."""
    terms = [t for t in query.split() if t.strip("\"'-")][:MAX_TERMS]
    if not terms:
        return queryset.annotate(relevance=Value(0, output_field=IntegerField()))
    for term in terms:
        term = term.strip("\"'")
        queryset = queryset.filter(
            Q(name__icontains=term)
            | Q(pitch__icontains=term)
            | Q(vendor__name__icontains=term)
            | Q(description__icontains=term)
        )
    phrase = " ".join(t.strip("\"'") for t in terms)
    return queryset.annotate(
        relevance=Case(
            When(name__iexact=phrase, then=Value(100)),
            When(name__istartswith=phrase, then=Value(50)),
            When(name__icontains=phrase, then=Value(30)),
            When(Q(pitch__icontains=phrase) | Q(vendor__name__icontains=phrase), then=Value(10)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
