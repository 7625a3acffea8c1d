"""HTML for the fragments a page repeats dozens of times, built in Python.

Why not templates: through the template engine a tool card cost about 330 µs
and the facet sidebar about 3 ms, so a catalogue page of 24 fresh cards spent
more time there than in everything else together (issue 6, bench/RESULTS.md).
String building over escaped values does the same in a tenth of the time.
Only these small, hot fragments live here; pages stay templates and reach
them through the `fragments` template tags.

Every value is escaped with `html.escape` (what Django's autoescape uses);
only markup written in this module is trusted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from catalog.models import CommercialUse, Tool
from catalog.search import suggest_spelling
from catalog.templatetags.highlight import highlight

if TYPE_CHECKING:
    from django.core.paginator import Page

    from catalog.browse import Browse, FacetView
    from catalog.cards import Card, CardFacts

# How many facets start unfolded (more when one further down is in use).
OPEN_FACETS = 5


def _e(value: object) -> str:
    return escape(str(value))


@lru_cache(maxsize=4096)
def _label(text: str) -> str:
    """An escaped option label: the same few dozen recur on every page."""
    return escape(text)


def _query_href(url: str) -> str:
    """A `?a=1&b=2` link escaped for an attribute. Built by urlencode, it holds only
    unreserved characters, `%XX`, `+`, `=` and `&`, so escaping the `&` is all
    html.escape would do."""
    return url.replace("&", "&amp;")


def monogram(tool: Tool | CardFacts) -> SafeString:
    """The generated logo: initials on a colour chosen by the slug."""
    return mark_safe(
        f'<span class="monogram tone-{tool.monogram_tone}" aria-hidden="true">'
        f"{_e(tool.monogram)}</span>"
    )


def rights_badge(tool: Tool | CardFacts) -> SafeString:
    """The commercial-use answer in two or three words, coloured by what it means."""
    use = tool.commercial_use
    if use == CommercialUse.ALLOWED:
        html = (
            '<span class="badge badge-ok" title="Commercial use of outputs allowed">'
            "Commercial use OK</span>"
        )
    elif use == CommercialUse.CONDITIONAL:
        html = (
            f'<span class="badge badge-warn" title="{_e(tool.commercial_use_condition)}">'
            "Commercial use: conditions</span>"
        )
    elif use == CommercialUse.NOT_ALLOWED:
        html = '<span class="badge badge-no">No commercial use</span>'
    else:
        html = '<span class="badge badge-unclear">Commercial use unclear</span>'
    return mark_safe(html)


def _chips(names: Sequence[str], css: str) -> str:
    if not names:
        return '<span class="chip-mod">?</span>'
    return "".join(f'<span class="{css}">{_e(name)}</span>' for name in names)


def tool_card(
    tool: CardFacts, *, inputs: Sequence[str], outputs: Sequence[str], query: str = ""
) -> SafeString:
    """A tool's card: name, vendor, pitch, what goes in and out, price, score, rights.

    `inputs` and `outputs` are modality names (the facet index knows them, so
    cards need no prefetch); `query` marks the search words in name and pitch.
    """
    name, slug = tool.name, _e(tool.slug)
    discontinued = tool.status == Tool.Status.DISCONTINUED
    vendor = tool.vendor_name or ""
    score = tool.review_score
    # A tool page's URL from one cached reverse(), not one per card.
    url = route("catalog:tool_detail", "SLUG").replace("SLUG", slug)
    compare = route("catalog:compare")
    return mark_safe(
        "".join(
            [
                f'<article class="card{" card-discontinued" if discontinued else ""}">',
                f'<header class="card-head">{monogram(tool)}<div>',
                f'<h3 class="card-title"><a href="{url}">{highlight(name, query)}</a></h3>',
                f'<p class="card-vendor">{_e(vendor)}</p>' if vendor else "",
                "</div></header>",
                '<p><span class="badge badge-no">Discontinued</span></p>' if discontinued else "",
                f'<p class="card-pitch">{highlight(tool.pitch, query)}</p>',
                '<p class="modalities"><span class="visually-hidden">Takes </span>',
                _chips(inputs, "chip-mod"),
                '<span class="arrow" aria-hidden="true">→</span>',
                '<span class="visually-hidden"> and makes </span>',
                _chips(outputs, "chip-mod chip-out"),
                "</p>",
                f'<footer class="card-foot"><span class="price">{_e(tool.price_summary())}</span> ',
                f'<span class="score"><span aria-hidden="true">★</span> {score}/5'
                '<span class="visually-hidden"> in our review</span></span> '
                if score
                else "",
                f"{rights_badge(tool)} ",
                f'<a class="add-compare" href="{compare}?tools={slug}" rel="nofollow" '
                f'data-compare-slug="{slug}" data-compare-name="{_e(name)}">Add to compare'
                f'<span class="visually-hidden"> {_e(name)}</span></a>',
                "</footer></article>",
            ]
        )
    )


def card_grid(cards: Iterable[Card]) -> SafeString:
    """A grid of cards (catalog.cards), each already HTML."""
    items = "".join(f"<li>{card.html}</li>" for card in cards)
    return mark_safe(f'<ul class="grid" role="list" data-hx-boost="false">{items}</ul>')


def route(name: str, *args: str) -> str:
    """reverse(name, args), once per process, for the few URLs many pages repeat: the
    header's, taxonomy pages, the card's compare link (reverse() is ~15-20 µs each).
    Not for per-tool URLs: there are too many of them to be worth keeping."""
    return _route(name, args, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=1024)
def _route(name: str, args: tuple[str, ...], script_prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=args, urlconf=urlconf)


@lru_cache(maxsize=4096)
def _option_id(facet: str, value: str) -> str:
    """The option link's id, escaped for its attribute."""
    return escape(f"opt-{facet}-{slugify(value)}")


def facets(facet_views: Sequence[FacetView]) -> SafeString:
    """The filter sidebar: each facet's options as links that add or remove them."""
    parts = ['<aside class="facets" aria-label="Filters"><h2 class="facets-title">Filter</h2>']
    for position, view in enumerate(facet_views, start=1):
        facet = view.facet
        is_open = " open" if facet.active or position <= OPEN_FACETS else ""
        parts.append(
            f'<details class="facet"{is_open}><summary>{_label(facet.label)}</summary>'
            '<ul class="facet-options" role="list">'
        )
        for link in view.links:
            option = link.option
            label = _label(option.label)
            if link.disabled:
                parts.append(
                    '<li><span class="facet-option is-disabled" aria-disabled="true">'
                    f'<span class="box" aria-hidden="true"></span>{label} '
                    '<span class="count">0</span></span></li>'
                )
                continue
            attributes = (
                f'id="{_option_id(facet.name, option.value)}" href="{_query_href(link.url)}"'
            )
            if option.selected:
                parts.append(
                    f'<li><a class="facet-option is-selected" {attributes} rel="nofollow" '
                    'aria-current="true"><span class="box" aria-hidden="true"></span>'
                    f'{label}<span class="visually-hidden"> (selected, select to remove)</span> '
                    f'<span class="count">{option.count}</span></a></li>'
                )
            else:
                parts.append(
                    f'<li><a class="facet-option" {attributes} rel="nofollow">'
                    f'<span class="box" aria-hidden="true"></span>{label} '
                    f'<span class="count">{option.count}</span></a></li>'
                )
        parts.append("</ul></details>")
    parts.append("</aside>")
    return mark_safe("".join(parts))


def results(
    browse: Browse,
    page: Page,
    *,
    notes: Sequence[str],
    prev_url: str | None,
    next_url: str | None,
) -> SafeString:
    """The catalogue's results: count and sort links, notes about ignored input, the
    active filters as removable chips, then the cards and pages, or what to try next."""
    count = page.paginator.count
    query = browse.query
    parts = [
        '<div class="results-head"><p class="result-count" role="status">'
        f"<strong>{count}</strong> tool{'' if count == 1 else 's'}",
        f" for “{_e(query)}”" if query else "",
        '</p><nav class="sort" aria-label="Sort by"><span>Sort:</span>',
    ]
    for label, url, current in browse.sort_links:
        parts.append(
            f'<strong aria-current="true">{_label(label)}</strong>'
            if current
            else f'<a href="{_query_href(url)}" rel="nofollow">{_label(label)}</a>'
        )
    parts.append("</nav></div>")
    if notes:
        parts.append(
            '<div class="notice" role="note"><p>We ignored part of this address: '
            f"{_e('; '.join(notes))}.</p></div>"
        )
    if browse.chips:
        parts.append('<ul class="chips" role="list" aria-label="Active filters">')
        parts.extend(
            f'<li><a class="chip" href="{_e(chip.remove_url)}" rel="nofollow">{_e(chip.label)} '
            '<span aria-hidden="true">\u00d7</span>'
            '<span class="visually-hidden"> (remove filter)</span></a></li>'
            for chip in browse.chips
        )
        parts.append(
            f'<li><a class="chip chip-clear" href="{_e(browse.clear_url)}">Clear all</a></li></ul>'
        )
    tools = page.object_list
    if tools:
        parts.append(card_grid(tools))
        parts.append(pagination(page, prev_url=prev_url, next_url=next_url))
    else:
        parts.append('<div class="empty"><p>No tool matches all of these filters.</p>')
        suggestion = suggest_spelling(query) if query else None
        if suggestion:
            href = f"{route('catalog:tool_list')}?q={quote(suggestion)}"
            parts.append(
                f'<p>Did you mean <a href="{_e(href)}" data-hx-boost="false">'
                f"{_e(suggestion)}</a>?</p>"
            )
        if browse.chips:
            clear = _e(browse.clear_url)
            parts.append(f'<p>Remove a filter above, or <a href="{clear}">start again</a>.</p>')
        parts.append("</div>")
    return mark_safe("".join(parts))


def pagination(page: Page, *, prev_url: str | None, next_url: str | None) -> SafeString:
    """Previous and next links around "Page 2 of 9"; nothing for a single page."""
    pages = page.paginator.num_pages
    if pages <= 1:
        return mark_safe("")
    previous = (
        f'<a rel="prev" href="{_e(prev_url)}">← Previous</a>'
        if prev_url
        else '<span class="disabled" aria-disabled="true">← Previous</span>'
    )
    following = (
        f'<a rel="next" href="{_e(next_url)}">Next →</a>'
        if next_url
        else '<span class="disabled" aria-disabled="true">Next →</span>'
    )
    return mark_safe(
        '<nav class="pagination" aria-label="Pages" data-hx-swap="outerHTML show:#catalogue:top">'
        f'{previous}<span class="page-status">Page {page.number} of {pages}</span>{following}'
        "</nav>"
    )
