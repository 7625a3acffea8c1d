"""Card grids skip the database for cached cards, and never show a broken card."""

import pytest
from django.core.cache import cache

from catalog.cards import CachedCard, card_key, card_tools
from tests.factories import ToolFactory

pytestmark = pytest.mark.django_db


def test_uncached_cards_are_loaded_in_order_and_cached_ones_are_stand_ins():
    first, second = ToolFactory(name="First"), ToolFactory(name="Second")
    cache.clear()
    cache.set(card_key(second.pk, stamp="s1"), "<article>cached</article>")
    tools = card_tools([second.pk, first.pk], stamp="s1")
    assert [t.pk for t in tools] == [second.pk, first.pk]
    assert isinstance(tools[0], CachedCard)
    assert tools[1].name == "First"


def test_a_stand_in_whose_card_was_evicted_still_knows_its_tool():
    tool = ToolFactory(name="Evicted")
    assert CachedCard(tool.pk).name == "Evicted"


def test_another_stamp_or_search_is_another_card():
    tool = ToolFactory()
    cache.clear()
    cache.set(card_key(tool.pk, stamp="old"), "<article>old</article>")
    assert not isinstance(card_tools([tool.pk], stamp="new")[0], CachedCard)
    assert not isinstance(card_tools([tool.pk], stamp="old", query="x")[0], CachedCard)
