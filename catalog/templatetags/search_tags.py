"""'Did you mean' for an empty search result, computed only when a page needs it."""

from __future__ import annotations

from django import template

from catalog.search import suggest_spelling

register = template.Library()


@register.simple_tag
def did_you_mean(query: str) -> str | None:
    """The closest published tool name to `query`, or None (one query)."""
    return suggest_spelling(query) if query else None
