"""Reading pages as a visitor does: what the tool cards on a page say."""

import re
from html import unescape

_CARD_TITLE = re.compile(r'<h3 class="card-title"><a href="/tools/([^/"]+)/">(.*?)</a></h3>')
_TAG = re.compile(r"<[^>]+>")


def card_names(response) -> list[str]:
    """The names on the page's tool cards, in order, as shown (search marks removed)."""
    return [unescape(_TAG.sub("", name)) for _slug, name in _cards(response)]


def card_slugs(response) -> list[str]:
    return [slug for slug, _name in _cards(response)]


def _cards(response) -> list[tuple[str, str]]:
    return _CARD_TITLE.findall(response.content.decode())
