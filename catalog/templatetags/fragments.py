"""Template tags that put the Jinja2 fragments (see catalog.jinja) into Django pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django import template
from django.http import QueryDict
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from catalog.cards import Card, CardFacts, render_card
from catalog.facet_index import get_index
from catalog.jinja import route as _route
from catalog.models import Tool

if TYPE_CHECKING:
    from django.core.paginator import Page

    from catalog.browse import Browse, FacetView

register = template.Library()

# How many facets start unfolded (more when one further down is in use).
OPEN_FACETS = 5


def render(name: str, context: dict[str, Any]) -> SafeString:
    """A fragment from the Jinja2 engine (autoescaped), as safe HTML for a Django page."""
    return mark_safe(engines["jinja2"].env.get_template(name).render(context))


def _macro(name: str, tool: Any) -> SafeString:
    macros = engines["jinja2"].env.get_template("fragments/macros.html").module
    return mark_safe(str(getattr(macros, name)(tool)))


@register.simple_tag
def route(name: str, *args: str) -> str:
    return _route(name, *args)


@register.simple_tag
def monogram(tool: Tool | CardFacts) -> SafeString:
    """The generated logo: initials on a colour chosen by the slug."""
    return _macro("monogram", tool)


@register.simple_tag
def rights_badge(tool: Tool | CardFacts) -> SafeString:
    """The commercial-use answer in two or three words, coloured by what it means."""
    return _macro("rights_badge", tool)


@register.simple_tag
def card_grid(cards: Iterable[Card]) -> SafeString:
    return render("fragments/card_grid.html", {"cards": cards})


@register.simple_tag
def tool_card(tool: Tool) -> SafeString:
    """One card from a loaded tool, outside a grid (the wizard's excluded list)."""
    return render_card(CardFacts.of(tool), get_index())


@register.simple_tag
def facets(facet_views: Sequence[FacetView]) -> SafeString:
    return render("fragments/facets.html", {"facets": facet_views, "open_facets": OPEN_FACETS})


@register.simple_tag
def results(
    browse: Browse,
    page: Page,
    *,
    notes: Sequence[str],
    prev_url: str | None,
    next_url: str | None,
    suggestion: str | None = None,
) -> SafeString:
    return render(
        "fragments/results.html",
        {
            "browse": browse,
            "page": page,
            "cards": page.object_list,
            "notes": notes,
            "suggestion": suggestion,
            **_pages(prev_url, next_url, swap_to="#catalogue"),
        },
    )


@register.simple_tag(takes_context=True)
def pagination(
    context: template.Context,
    page: Page,
    *,
    prev_url: str | None = None,
    next_url: str | None = None,
    prev_label: str = "Previous",
    next_label: str = "Next",
) -> SafeString:
    """Page links; without explicit URLs, the request's query with `page` replaced."""
    request = context.get("request")
    if request is not None and prev_url is None and page.has_previous():
        prev_url = _with_page(request.GET, page.previous_page_number())
    if request is not None and next_url is None and page.has_next():
        next_url = _with_page(request.GET, page.next_page_number())
    pages = _pages(prev_url, next_url, prev_label=prev_label, next_label=next_label)
    return render("fragments/pagination.html", {"page": page, **pages})


def _with_page(query: QueryDict, number: int) -> str:
    query = query.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


def _pages(
    prev_url: str | None,
    next_url: str | None,
    *,
    prev_label: str = "Previous",
    next_label: str = "Next",
    swap_to: str = "",
) -> dict[str, Any]:
    return {
        "prev_url": prev_url,
        "next_url": next_url,
        "prev_label": prev_label,
        "next_label": next_label,
        "swap_to": swap_to,
    }
