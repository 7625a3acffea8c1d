"""`highlight`: mark the words of a search query in a piece of text, safely."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString, mark_safe

register = template.Library()

MAX_WORDS = 8
MIN_WORD_CHARS = 2
_WORD = re.compile(r"\w+")


def query_words(query: str) -> list[str]:
    """The words worth marking: not `-excluded`, not the `or` operator, longest first."""
    words: list[str] = []
    for token in query.split():
        if token.startswith("-") or token.lower() == "or":
            continue
        words += [w for w in _WORD.findall(token) if len(w) >= MIN_WORD_CHARS]
    unique = list(dict.fromkeys(w.casefold() for w in words))[:MAX_WORDS]
    # Longest first, so "chatgpt" wins over "chat" where both would match.
    return sorted(unique, key=len, reverse=True)


@register.filter
def highlight(text: object, query: object) -> SafeString | SafeData:
    """`text` escaped, with words starting like a query word wrapped in <mark>.

    Matching runs on the raw text and every piece is escaped on its own, so a
    query can never match inside an entity such as `&amp;` nor inject markup;
    only the <mark> tags added here are trusted.
    """
    if isinstance(text, SafeData):
        return text  # already markup: leave it alone rather than split tags
    text = "" if text is None else str(text)
    words = query_words(query) if isinstance(query, str) else []
    if not words or not text:
        return escape(text)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)
    parts: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece was escaped above


@register.simple_tag(takes_context=True)
def highlighted(context: template.Context, text: object) -> SafeString | SafeData:
    """`text` with the page's search words marked (`browse.query` on catalogue pages).

    For shared fragments such as the tool card: pages without a search (or
    without `browse` at all) get the text escaped and unmarked.
    """
    return highlight(text, getattr(context.get("browse"), "query", ""))
