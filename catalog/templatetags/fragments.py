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
def route(name: str) -> str:
    """`{% url name %}` for a URL without arguments, reversed once per process: every
    page's header and footer name the same handful (reverse() is ~15 µs each)."""
    return _route(name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=128)
def _route(name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)
