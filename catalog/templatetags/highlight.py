"""`highlight`: mark the words of a search query in a piece of text, safely.

The markup lives in the `highlight` macro of `fragments/macros.html` (Jinja2,
autoescaped); this filter lets Django templates use the same macro.
"""

from __future__ import annotations

from django import template
from django.template import engines
from django.utils.safestring import SafeData, SafeString, mark_safe

from catalog.jinja import query_words

register = template.Library()

__all__ = ["highlight", "query_words"]


@register.filter
def highlight(text: object, query: object) -> SafeString | SafeData:
    """`text` escaped, with words starting like a query word wrapped in <mark>."""
    if isinstance(text, SafeData):
        return text  # already markup: leave it alone rather than split tags
    macros = engines["jinja2"].env.get_template("fragments/macros.html").module
    return mark_safe(str(macros.highlight(text, query)))
