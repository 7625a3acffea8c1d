"""Text search over tools behind one function, so the backend can change.

`search_tools(queryset, query)` filters to matching tools and annotates each
with `relevance` (higher is better); callers order by it. `search_ids(queryset,
query, top=...)` is the catalogue's bounded form: every matching id (for exact
facet counts) plus at most `top` of them in relevance order.

On PostgreSQL it is full-text search over the stored document
`Tool.search_vector` (name A, pitch and vendor B, description C, use cases and
model names D; catalog.search_index keeps it current, migration 0006 indexes
it) matched with `websearch_to_tsquery` syntax (quoted phrases, `-exclusion`,
`or`), the last word also matching as a prefix (search as you type), plus
trigram similarity on the name so "midjorney" still finds Midjourney.

Elsewhere (SQLite in development) a portable version ranks name matches
first, then pitch and vendor, then description.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections import OrderedDict

from django.db import connections
from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest
from pyroaring import BitMap, FrozenBitMap

from catalog.models import Tool

MAX_TERMS = 8
MAX_QUERY_CHARS = 200
SEARCH_CONFIG = "english"
# ts_rank weights for D, C, B, A.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
SUGGEST_MAX_NAMES = 5000
# search_ids: results remembered per worker, for the current catalogue version only.
CACHE_ENTRIES = 128
_WORD = re.compile(r"\w+")


def search_tools(queryset: QuerySet, query: str) -> QuerySet:
    """Tools from `queryset` matching `query`, annotated with `relevance`."""
    query = _clean(query)
    if connections[queryset.db].vendor == "postgresql":
        return _postgres_search(queryset, query)
    return _portable_search(queryset, query)


def search_ids(queryset: QuerySet, query: str, *, top: int) -> tuple[FrozenBitMap, list[int]]:
    """Every id in `queryset` matching `query`, and the best of them in relevance order.

    The ranked list is complete when there are at most `top` matches. Beyond that
    ranking every match is the cost (a term in most pitches matches most of the
    catalogue), so only the tools whose *name* matches are ranked (at most `top`)
    and the caller orders the rest cheaply. Two queries at most; an answer is
    remembered by this worker until the catalogue version changes.
    """
    from catalog.versioning import current_version

    query = _clean(query)
    if connections[queryset.db].vendor != "postgresql":
        matches = _portable_search(queryset, query).order_by("-relevance", "name")
        ranked = list(matches.values_list("pk", flat=True))
        return FrozenBitMap(ranked), ranked[:top]
    if not _WORD.search(query):
        return FrozenBitMap(), []
    key = (current_version().stamp, queryset.db, str(queryset.query), query, top)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
    if found is None:
        found = _postgres_ids(queryset, query, top)
        with _cache_lock:
            _cache[key] = found
            while len(_cache) > CACHE_ENTRIES:
                _cache.popitem(last=False)
    ids, ranked = found
    return ids, list(ranked)


_cache: OrderedDict[tuple, tuple[FrozenBitMap, tuple[int, ...]]] = OrderedDict()
_cache_lock = threading.Lock()


def suggest_spelling(query: str, *, using: str = "default") -> str | None:
    """The published tool name closest to `query`, when it is a different string."""
    query = _clean(query)
    if not _WORD.search(query):
        return None
    tools = Tool.objects.using(using).published()
    if connections[using].vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

        # The % and %> operators can use the trigram index; the scores then rank.
        best = (
            tools.filter(_name_matches(query))
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


def _clean(query: str) -> str:
    # NUL bytes cannot reach PostgreSQL; very long input is cut, not refused.
    return query.replace("\x00", " ").strip()[:MAX_QUERY_CHARS]


def _postgres_search(queryset: QuerySet, query: str) -> QuerySet:
    if not _WORD.search(query):
        return queryset.none().annotate(relevance=Value(0.0, output_field=FloatField()))
    tsquery = _tsquery(query)
    return queryset.filter(Q(search_vector=tsquery) | _name_matches(query)).annotate(
        relevance=_relevance(query, tsquery)
    )


def _postgres_ids(queryset: QuerySet, query: str, top: int) -> tuple[FrozenBitMap, tuple[int, ...]]:
    """One query for every match (flagging name matches), one to rank a bounded set."""
    tsquery = _tsquery(query)
    base = queryset.order_by()
    # Two branches, each with its own index. As one OR, a term matching many tools
    # makes the planner scan the table and compute trigram similarity on every row.
    in_text = base.filter(search_vector=tsquery).annotate(by_name=Value(False))
    in_name = base.filter(_name_matches(query)).annotate(by_name=Value(True))
    both = in_text.values_list("pk", "by_name").union(
        in_name.values_list("pk", "by_name"), all=True
    )
    rows = list(both.order_by())
    ids = BitMap([pk for pk, _by_name in rows])
    named = BitMap([pk for pk, by_name in rows if by_name])
    candidates = ids if len(ids) <= top else named
    if top <= 0 or not candidates:
        return FrozenBitMap(ids), ()
    if len(candidates) > top:
        # Only a query that is nearly every name gets here: rank a bounded share.
        candidates = BitMap(candidates.to_array()[: top * 4])
    ranked = (
        base.filter(pk__in=list(candidates))
        .annotate(relevance=_relevance(query, tsquery))
        .order_by("-relevance", "name")
        .values_list("pk", flat=True)[:top]
    )
    return FrozenBitMap(ids), tuple(ranked)


def _name_matches(query: str) -> Q:
    """Typo-tolerant name match (the % and %> operators use the trigram index)."""
    from django.contrib.postgres.lookups import TrigramSimilar, TrigramWordSimilar

    return Q(TrigramSimilar(F("name"), Value(query))) | Q(
        TrigramWordSimilar(F("name"), Value(query))
    )


def _relevance(query: str, tsquery):
    from django.contrib.postgres.search import SearchRank, TrigramSimilarity

    return SearchRank(F("search_vector"), tsquery, weights=RANK_WEIGHTS) + TrigramSimilarity(
        "name", query
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
            | Q(pk__in=_related_named("use_cases", "usecase", term))
            | Q(pk__in=_related_named("ai_models", "aimodel", term))
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


def _related_named(relation: str, target: str, term: str) -> QuerySet:
    """Ids of tools linked through `relation` to a row whose name contains `term`."""
    through = getattr(Tool, relation).through
    return through.objects.filter(**{f"{target}__name__icontains": term}).values("tool_id")
