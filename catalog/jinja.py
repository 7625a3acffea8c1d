"""The Jinja2 environment for the fragments a page repeats dozens of times.

Cards, the facet sidebar, the catalogue's results and pagination are rendered
through Django's built-in Jinja2 backend (autoescape on): measured on a
catalogue page, a Jinja2 card costs about what the old Python string builder
did, while the Django template engine cost ten times more. Pages stay Django
templates and reach these fragments through the `fragments` template tags.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import slugify
from jinja2 import Environment

MAX_MARKED_WORDS = 8
MIN_MARKED_CHARS = 2
_WORD = re.compile(r"\w+")


def route(name: str, *args: str) -> str:
    """reverse(name, args), once per process, for the few URLs many pages repeat: the
    header's, taxonomy pages, the card's compare link (reverse() is ~15-20 µs each).
    Not for per-tool URLs: there are too many of them to be worth keeping."""
    return _route(name, args, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=1024)
def _route(name: str, args: tuple[str, ...], script_prefix: str, urlconf: str | None) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def query_words(query: str) -> list[str]:
    """The words worth marking: not `-excluded`, not the `or` operator, longest first."""
    words: list[str] = []
    for token in query.split():
        if token.startswith("-") or token.lower() == "or":
            continue
        words += [w for w in _WORD.findall(token) if len(w) >= MIN_MARKED_CHARS]
    unique = list(dict.fromkeys(w.casefold() for w in words))[:MAX_MARKED_WORDS]
    # Longest first, so "chatgpt" wins over "chat" where both would match.
    return sorted(unique, key=len, reverse=True)


def marked(text: object, query: object) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_a_match) for words starting like a query word.

    Matching runs on the raw text; the template escapes every piece on its own,
    so a query can never match inside an entity nor inject markup.
    """
    text = "" if text is None else str(text)
    words = query_words(query) if isinstance(query, str) else []
    if not words or not text:
        return [(text, False)]
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in pattern.finditer(text):
        pieces += [(text[position : match.start()], False), (match.group(), True)]
        position = match.end()
    pieces.append((text[position:], False))
    return [piece for piece in pieces if piece[0]]


@lru_cache(maxsize=4096)
def option_id(facet: str, value: str) -> str:
    return f"opt-{facet}-{slugify(value)}"


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals.update(route=route, static=static, marked=marked, option_id=option_id)
    return env
