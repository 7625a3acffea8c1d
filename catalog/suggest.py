"""Search-as-you-type suggestions for the header search box.

A few tools ranked by `search_tools` (so PostgreSQL's typo tolerance applies:
"midjorney" suggests Midjourney), plus the use cases and output modalities
whose names contain what was typed. Topics come from the facet index, so they
cost no query; a suggestion list costs at most three queries whatever the
catalogue's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyroaring import BitMap

from catalog.facet_index import FacetIndex, get_index
from catalog.models import Tool
from catalog.search import MAX_QUERY_CHARS, search_tools, suggest_spelling
from catalog.taxonomy import Term

MIN_CHARS = 2
MAX_TOOLS = 5
MAX_TERMS = 3
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Suggestions:
    query: str
    tools: list[Tool] = field(default_factory=list)
    use_cases: list[Term] = field(default_factory=list)
    modalities: list[Term] = field(default_factory=list)
    # The tool name we guessed when nothing matched as typed ("did you mean").
    spelled: str | None = None

    @property
    def searched(self) -> bool:
        """Whether the query was long enough to look anything up."""
        return len(self.query) >= MIN_CHARS

    def __bool__(self) -> bool:
        return bool(self.tools or self.use_cases or self.modalities)


def suggest(query: str) -> Suggestions:
    """Tools and topics for a partly typed query: the catalogue stamp, one search query,
    and one spelling query plus one tool query only when the search found nothing."""
    query = " ".join(query.replace("\x00", " ").split())[:MAX_QUERY_CHARS]
    if len(query) < MIN_CHARS or not _WORD.search(query):
        return Suggestions(query=query)
    index = get_index()
    published = index.universe([Tool.Status.PUBLISHED])
    tools = _tools(search_tools(Tool.objects.published(), query).order_by("-relevance", "name"))
    spelled = None
    if not tools:
        spelled = suggest_spelling(query)
        if spelled:
            tools = _tools(Tool.objects.published().filter(name=spelled))
    needle = query.casefold()
    return Suggestions(
        query=query,
        tools=tools,
        use_cases=_terms(index, "use", "use_cases", needle, published),
        modalities=_terms(index, "output", "modalities", needle, published),
        spelled=spelled if tools else None,
    )


def _tools(queryset) -> list[Tool]:
    return list(queryset.only("slug", "name", "pitch")[:MAX_TOOLS])


def _terms(
    index: FacetIndex, facet: str, vocabulary: str, needle: str, published: BitMap
) -> list[Term]:
    """Terms of a vocabulary whose name contains `needle` and that list a published tool."""
    options = index.bitmaps.get(facet, {})
    found = [
        term
        for term in getattr(index.taxonomy, vocabulary)
        if needle in term.name.casefold()
        and published.intersection_cardinality(options.get(term.slug, BitMap()))
    ]
    return sorted(found, key=lambda t: (not t.name.casefold().startswith(needle), t.name))[
        :MAX_TERMS
    ]
