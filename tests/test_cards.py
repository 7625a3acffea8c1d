"""Tool cards: right facts, escaped text, cached per catalogue stamp and search words."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.cards import CardFacts, card_key, cards, render_card
from catalog.facet_index import get_index
from catalog.models import Tool
from tests.factories import ModalityFactory, ToolFactory

pytestmark = pytest.mark.django_db


def test_a_card_shows_what_a_visitor_compares_tools_by():
    text, image = ModalityFactory(name="Text"), ModalityFactory(name="Image")
    tool = ToolFactory(
        name="Pixel Forge",
        input_modalities=[text],
        output_modalities=[image],
        starting_price=Decimal("12.50"),
        price_period=Tool.Period.MONTH,
        has_free_tier=True,
        review_score=4,
        commercial_use=Tool.CommercialUse.NOT_ALLOWED,
    )
    [card] = cards([tool.pk], index=get_index())
    html = card.html
    assert f'href="{tool.get_absolute_url()}"' in html
    assert tool.vendor.name in html
    assert '<span class="chip-mod">Text</span>' in html
    assert '<span class="chip-mod chip-out">Image</span>' in html
    assert "Free tier · from USD 12.50 per month" in html
    assert "★</span> 4/5" in html
    assert "No commercial use" in html
    assert f"?tools={tool.slug}" in html


def test_names_and_pitches_are_escaped_and_search_words_marked():
    tool = ToolFactory(name="<b>Bold</b> Writer", pitch='Writer of "fast" & <script>x</script>')
    [card] = cards([tool.pk], index=get_index(), query="writer")
    assert "<script>" not in card.html and "<b>" not in card.html
    assert "&lt;b&gt;Bold&lt;/b&gt; <mark>Writer</mark>" in card.html
    assert "<mark>Writer</mark> of &quot;fast&quot; &amp; &lt;script&gt;" in card.html


def test_cards_come_in_order_and_cached_ones_cost_no_query():
    first, second = ToolFactory(name="First"), ToolFactory(name="Second")
    index = get_index()
    cache.clear()
    cache.set(card_key(second.pk, stamp=index.stamp), "<article>cached</article>")
    with CaptureQueriesContext(connection) as queries:
        got = cards([second.pk, first.pk], index=index)
    assert [c.pk for c in got] == [second.pk, first.pk]
    assert got[0].html == "<article>cached</article>"
    assert "First" in got[1].html
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        again = cards([second.pk, first.pk], index=index)
    assert [c.html for c in again] == [c.html for c in got]
    assert len(queries) == 0


def test_another_stamp_or_search_is_another_card():
    assert card_key(1, stamp="old") != card_key(1, stamp="new")
    assert card_key(1, stamp="old") != card_key(1, stamp="old", query="x")
    assert card_key(1, stamp="s", query="a b") != card_key(1, stamp="s", query="a  b")


def test_an_edit_shows_on_the_next_card():
    tool = ToolFactory(name="Before")
    assert ">Before</a></h3>" in cards([tool.pk], index=get_index())[0].html
    tool.name = "After"
    tool.save()
    assert ">After</a></h3>" in cards([tool.pk], index=get_index())[0].html


def test_a_tool_deleted_since_the_index_was_built_is_left_out():
    kept, gone = ToolFactory(), ToolFactory()
    index = get_index()
    cache.clear()
    Tool.objects.filter(pk=gone.pk).delete()
    assert [c.pk for c in cards([gone.pk, kept.pk], index=index)] == [kept.pk]


@pytest.mark.parametrize(
    ("fields", "summary"),
    [
        ({"pricing_model": "free"}, "Free"),
        ({"pricing_model": "open_source"}, "Free to self-host"),
        (
            {
                "pricing_model": "subscription",
                "starting_price": Decimal("20.00"),
                "price_period": "month",
            },
            "from USD 20 per month",
        ),
        ({"pricing_model": "usage", "starting_price": Decimal("0.5")}, "from USD 0.50"),
        ({"pricing_model": "contact"}, "Contact sales"),
        ({"pricing_model": "freemium", "has_free_tier": True}, "Freemium · free tier"),
    ],
)
def test_price_summary_reads_like_a_price_tag(fields, summary):
    assert ToolFactory.build(**fields).price_summary() == summary


def test_a_card_reads_the_same_from_a_row_or_a_tool():
    text = ModalityFactory(name="Text")
    tool = ToolFactory(
        name="Échoes-AI studio",
        output_modalities=[text],
        commercial_use=Tool.CommercialUse.CONDITIONAL,
        commercial_use_condition='Attribution "required"',
        starting_price=Decimal("9.99"),
        price_period=Tool.Period.YEAR,
        status=Tool.Status.DISCONTINUED,
        vendor=None,
    )
    index = get_index()
    from_row = cards([tool.pk], index=index)[0].html
    assert render_card(CardFacts.of(Tool.objects.get(pk=tool.pk)), index) == from_row
    assert 'title="Attribution &quot;required&quot;"' in from_row
    assert "Discontinued" in from_row and "card-vendor" not in from_row
    assert ">ÉA</span>" in from_row  # initials of the first two words


def test_a_card_just_served_comes_from_the_process_not_the_shared_cache(monkeypatch):
    tool = ToolFactory()
    index = get_index()
    first = cards([tool.pk], index=index)[0].html
    reads = []
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or {})
    with CaptureQueriesContext(connection) as queries:
        again = cards([tool.pk], index=index)[0].html
    assert again == first
    assert reads == [] and len(queries) == 0


def test_recent_cards_keep_only_the_newest():
    from catalog.cards import _RecentCards

    recent = _RecentCards(size=2)
    recent.remember({"a": "1", "b": "2"})
    recent.get_many(["a"])  # "a" is now the most recently used
    recent.remember({"c": "3"})
    assert recent.get_many(["a", "b", "c"]) == {"a": "1", "c": "3"}
