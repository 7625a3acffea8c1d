"""Tags for search engines and link previews: canonical URLs and JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from catalog.models import Tool

register = template.Library()

# The characters json_script escapes, so the data can never close the element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, path: str | None = None) -> str:
    """`path` (default: this page without its query string) as an absolute URL."""
    request = context.get("request")
    if request is None:
        return path or ""
    return request.build_absolute_uri(path or request.path)


@register.simple_tag(takes_context=True)
def tool_jsonld(
    context: template.Context, tool: Tool, platforms: list | None = None, review: Any = None
) -> SafeString:
    """schema.org SoftwareApplication data for a tool (no query).

    `platforms` are Terms; `review` is the latest published editorial.Review
    with its author loaded, or None.
    """
    data = software_application(
        tool,
        url=absolute_url(context, tool.get_absolute_url()),
        platforms=[p.name for p in platforms or []],
    )
    if review is not None:
        data.update(review_data(review, url=absolute_url(context, review.get_absolute_url())))
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def software_application(tool: Tool, *, url: str, platforms: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "SoftwareApplication",
        "name": tool.name,
        "description": tool.pitch,
        "url": url,
        "sameAs": tool.website,
        "applicationCategory": "AI tool",
    }
    if platforms:
        data["operatingSystem"] = ", ".join(platforms)
    if tool.vendor:
        data["publisher"] = {"@type": "Organization", "name": tool.vendor.name}
    offers = []
    if tool.has_free_tier or tool.pricing_model == Tool.PricingModel.FREE:
        offers.append({"@type": "Offer", "price": "0", "priceCurrency": tool.currency})
    if tool.starting_price:
        offers.append(
            {"@type": "Offer", "price": str(tool.starting_price), "priceCurrency": tool.currency}
        )
    if offers:
        data["offers"] = offers
    return data


def review_data(review: Any, *, url: str) -> dict[str, Any]:
    """`review` from our one editorial review (scores 1 to 5), saying how it was made.

    Only a hands-on test also gives `aggregateRating`: a score read from
    documentation must not pass for a rating of the product in use.
    """
    rating = {"ratingValue": review.score_overall, "bestRating": 5, "worstRating": 1}
    author = review.author.get_full_name() or review.author.get_username()
    day = review.tested_on.isoformat()
    if review.is_hands_on:
        method = f"Hands-on test: an editor used the tool, last on {day}."
    else:
        method = (
            "Documentation review: judged from the vendor's published terms, pricing and "
            f"features as of {day}; not a hands-on test."
        )
    data: dict[str, Any] = {
        "review": {
            "@type": "Review",
            "name": review.headline,
            "description": method,
            "reviewBody": review.verdict,
            "url": url,
            "datePublished": review.published_at.date().isoformat(),
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": "Toolfinder"},
            "reviewRating": {"@type": "Rating", **rating},
        }
    }
    if review.is_hands_on:
        data["aggregateRating"] = {"@type": "AggregateRating", **rating, "reviewCount": 1}
    return data
