"""Text search over tools behind one function, so the backend can change.

`search_tools(queryset, query)` filters to matching tools and annotates each
with `relevance` (higher is better); callers order by it.

On PostgreSQL it is full-text search: a weighted document (name A, pitch and
vendor B, description C, use cases and model names D) matched with
`websearch_to_tsquery` syntax (quoted phrases, `-exclusion`, `or`), the last
word also matching as a prefix (search as you type), plus trigram similarity
on the name so "midjorney" still finds Midjourney. Migration 0003 indexes the
tool's own part of the document and the name's trigrams; `tool_document()`
builds exactly the indexed expression, so keep the two in step.

Elsewhere (SQLite in development) a portable version ranks name matches
first, then pitch and vendor, then description.
"""

from __future__ import annotations

import difflib
import re

from django.db import connections
from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from catalog.models import Tool

MAX_TERMS = 8
MAX_QUERY_CHARS = 200
SEARCH_CONFIG = "english"
# ts_rank weights for D, C, B, A.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
SUGGEST_MAX_NAMES = 5000
_WORD = re.compile(r"\w+")


def search_tools(queryset: QuerySet, query: str) -> QuerySet:
    """Tools from `queryset` matching `query`, annotated with `relevance`."""
    query = _clean(query)
    if connections[queryset.db].vendor == "postgresql":
        return _postgres_search(queryset, query)
    return _portable_search(queryset, query)


def suggest_spelling(query: str, *, using: str = "default") -> str | None:
    """The published tool name closest to `query`, when it is a different string."""
    query = _clean(query)
    if not _WORD.search(query):
        return None
    tools = Tool.objects.using(using).published()
    if connections[using].vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramSimilar, TrigramWordSimilar
        from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

        # The % and %> operators can use the trigram index; the scores then rank.
        near = Q(TrigramSimilar(F("name"), Value(query))) | Q(
            TrigramWordSimilar(F("name"), Value(query))
        )
        best = (
            tools.filter(near)
            .annotate(
                closeness=Greatest(
                    TrigramSimilarity("name", query), TrigramWordSimilarity(query, "name")
                )
            )
            .order_by("-closeness", "name")
            .values_list("name", flat=True)
            .first()
        )
    else:
        names = list(tools.order_by("name").values_list("name", flat=True)[:SUGGEST_MAX_NAMES])
        by_lower = {name.lower(): name for name in names}
        close = difflib.get_close_matches(query.lower(), list(by_lower), n=1, cutoff=0.6)
        best = by_lower[close[0]] if close else None
    if best is None or best.lower() == query.lower():
        return None
    return best


def tool_document():
    """The tool's own weighted text: the exact expression migration 0003 indexes."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("pitch", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="C", config=SEARCH_CONFIG)
    )


def _clean(query: str) -> str:
    # NUL bytes cannot reach PostgreSQL; very long input is cut, not refused.
    return query.replace("\x00", " ").strip()[:MAX_QUERY_CHARS]


def _postgres_search(queryset: QuerySet, query: str) -> QuerySet:
    from django.contrib.postgres.lookups import TrigramSimilar, TrigramWordSimilar
    from django.contrib.postgres.search import (
        SearchRank,
        SearchVector,
        SearchVectorExact,
        TrigramSimilarity,
    )

    if not _WORD.search(query):
        return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))
    tsquery = _tsquery(query)
    document = (
        tool_document()
        + SearchVector(Coalesce(F("vendor__name"), Value("")), weight="B", config=SEARCH_CONFIG)
        + SearchVector(
            _names("use_cases", "usecase"),
            _names("ai_models", "aimodel"),
            weight="D",
            config=SEARCH_CONFIG,
        )
    )
    name = F("name")
    matches = (
        Q(SearchVectorExact(document, tsquery))
        | Q(TrigramSimilar(name, Value(query)))
        | Q(TrigramWordSimilar(name, Value(query)))
    )
    return queryset.filter(matches).annotate(
        relevance=SearchRank(document, tsquery, weights=RANK_WEIGHTS)
        + TrigramSimilarity("name", query)
    )


def _tsquery(query: str):
    """websearch syntax; when the query is plain words, the last one is also a prefix."""
    from django.contrib.postgres.search import Lexeme, SearchQuery

    words = query.split()
    plain = all(_WORD.fullmatch(word) and word.lower() != "or" for word in words)
    if not plain:
        return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    last = words[-1]
    prefix = SearchQuery(Lexeme(last, prefix=True), config=SEARCH_CONFIG)
    rest = " ".join(words[:-1])
    if not rest:
        return prefix
    return SearchQuery(rest, search_type="websearch", config=SEARCH_CONFIG) & prefix


def _names(relation: str, target: str) -> Coalesce:
    """Space-joined names of a tool's related rows, as one correlated subquery."""
    through = getattr(Tool, relation).through
    names = (
        through.objects.filter(tool_id=OuterRef("pk"))
        .values("tool_id")
        .annotate(names=StringAgg(f"{target}__name", delimiter=Value(" ")))
        .values("names")
    )
    return Coalesce(Subquery(names), Value(""), output_field=TextField())


def _portable_search(queryset: QuerySet, query: str) -> QuerySet:
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
