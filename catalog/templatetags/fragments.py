"""Template tags for the fragments built in Python (see catalog.fragments for why)."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

from catalog import fragments
from catalog.cards import CardFacts, render_card
from catalog.facet_index import get_index
from catalog.models import Tool

register = template.Library()

register.simple_tag(fragments.monogram, name="monogram")
register.simple_tag(fragments.rights_badge, name="rights_badge")
register.simple_tag(fragments.facets, name="facets")
register.simple_tag(fragments.card_grid, name="card_grid")


@register.simple_tag
def tool_card(tool: Tool) -> SafeString:
    """One card outside a cached grid (the wizard's excluded list)."""
    return render_card(CardFacts.of(tool), get_index())


@register.simple_tag
def route(name: str, *args: str) -> str:
    """`{% url name arg %}`, reversed once per process, for the few URLs many pages
    repeat: the header's, and taxonomy pages (reverse() is ~15-20 µs each).
    Not for per-tool URLs: there are too many of them to be worth keeping."""
    return _route(name, args, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=1024)
def _route(name: str, args: tuple[str, ...], script_prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=args, urlconf=urlconf)
