from django import template

from catalog.models import Tool
from editorial.models import Review

register = template.Library()


@register.simple_tag
def latest_review(tool: Tool) -> Review | None:
    """The tool's newest published review with its author: one query, or none at all
    for a tool without a score, since every published review scores the tool
    (editorial.scores keeps `review_score` in step)."""
    if tool.review_score is None:
        return None
    reviews = Review.objects.published().filter(tool=tool).select_related("author")
    review = reviews.newest_first().first()
    if review is not None:
        review.tool = tool  # The page has it already; spare the disclosure a query.
    return review
