"""Template tags for the fragments built in Python (see catalog.fragments for why)."""

from __future__ import annotations

from django import template
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
register.simple_tag(fragments.route, name="route")
register.simple_tag(fragments.results, name="results")
register.simple_tag(fragments.pagination, name="pagination")


@register.simple_tag
def tool_card(tool: Tool) -> SafeString:
    """One card from a loaded tool, outside a grid (the wizard's excluded list)."""
    return render_card(CardFacts.of(tool), get_index())
