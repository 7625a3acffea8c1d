"""Tool cards: right facts from the index, escaped text, kept per stamp and search words."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import cards as card_module
from catalog.cards import CardFacts, card_facts, cards, render_card
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
    assert "<mark>Writer</mark> of &#34;fast&#34; &amp; &lt;script&gt;" in card.html


def test_cards_come_in_order_and_cost_no_query():
    first, second = ToolFactory(name="First"), ToolFactory(name="Second")
    index = get_index()
    with CaptureQueriesContext(connection) as queries:
        got = cards([second.pk, first.pk], index=index)
    assert [c.pk for c in got] == [second.pk, first.pk]
    assert ">Second</a></h3>" in got[0].html and ">First</a></h3>" in got[1].html
    assert len(queries) == 0


def test_a_search_marks_its_words_only_on_its_own_cards():
    tool = ToolFactory(name="Echo Writer")
    index = get_index()
    assert "<mark>Writer</mark>" in cards([tool.pk], index=index, query="writer")[0].html
    assert "<mark>" not in cards([tool.pk], index=index)[0].html
    assert "<mark>Echo</mark>" in cards([tool.pk], index=index, query="echo")[0].html


def test_an_edit_shows_on_the_next_card():
    tool = ToolFactory(name="Before")
    assert ">Before</a></h3>" in cards([tool.pk], index=get_index())[0].html
    tool.name = "After"
    tool.save()
    assert ">After</a></h3>" in cards([tool.pk], index=get_index())[0].html


def test_a_deleted_tool_leaves_the_next_grid():
    kept, gone = ToolFactory(), ToolFactory()
    assert len(cards([gone.pk, kept.pk], index=get_index())) == 2
    Tool.objects.filter(pk=gone.pk).delete()
    assert [c.pk for c in cards([gone.pk, kept.pk], index=get_index())] == [kept.pk]
    assert cards([10**9, -1], index=get_index()) == []


@pytest.mark.parametrize(
    ("fields", "summary"),
    [
        ({"pricing_model": "free"}, "Free"),
        ({"pricing_model": "self_hosted"}, "Free to self-host"),
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


def test_a_card_reads_the_same_from_the_index_or_a_tool():
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
    from_tool = CardFacts.of(Tool.objects.get(pk=tool.pk))
    assert card_facts(index, [tool.pk]) == [from_tool]
    from_row = cards([tool.pk], index=index)[0].html
    assert render_card(from_tool, index) == from_row
    assert 'title="Attribution &#34;required&#34;"' in from_row
    assert "Discontinued" in from_row and "card-vendor" not in from_row
    assert ">ÉA</span>" in from_row  # initials of the first two words


def test_a_card_just_served_is_not_rendered_again(monkeypatch):
    tool = ToolFactory()
    index = get_index()
    first = cards([tool.pk], index=index)[0].html

    def render_again(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(card_module, "render_card", render_again)
    assert cards([tool.pk], index=index)[0].html == first


def test_recent_cards_keep_only_the_newest():
    from catalog.cards import _RecentCards

    recent = _RecentCards(size=2)
    recent.remember({"a": "1", "b": "2"})
    recent.get_many(["a"])  # "a" is now the most recently used
    recent.remember({"c": "3"})
    assert recent.get_many(["a", "b", "c"]) == {"a": "1", "c": "3"}


def test_the_index_holds_every_tools_card_facts_as_the_database_does():
    """Prices, periods, scores, vendors, statuses and non-ASCII text, mixed."""
    prices = [None, Decimal("0.50"), Decimal("12.00"), Decimal("9.99"), Decimal("1234567.89")]
    periods = ["", *Tool.Period.values]
    shared_vendor = ToolFactory().vendor
    for n in range(30):
        pricing_model = Tool.PricingModel.values[n % len(Tool.PricingModel.values)]
        # A free tool has no price, and a period needs one (the model's constraints).
        price = None if pricing_model == Tool.PricingModel.FREE else prices[n % len(prices)]
        ToolFactory(
            name=f"Ünïcode 工具 {n}" if n % 4 == 0 else f"Tool number {n}",
            pitch="" if n % 7 == 0 else f"Pitch «{n}» & more",
            status=Tool.Status.values[n % len(Tool.Status.values)],
            pricing_model=pricing_model,
            starting_price=price,
            currency=["USD", "EUR", "GBP"][n % 3],
            price_period=periods[n % len(periods)] if price is not None else "",
            has_free_tier=n % 2 == 0,
            review_score=None if n % 3 else 1 + n % 5,
            commercial_use=Tool.CommercialUse.values[n % len(Tool.CommercialUse.values)],
            commercial_use_condition="Credit the author" if n % 5 == 0 else "",
            vendor=None if n % 6 == 0 else shared_vendor if n % 2 else None,
        )
    tools = list(Tool.objects.select_related("vendor").order_by("-pk"))
    index = get_index()
    assert card_facts(index, [t.pk for t in tools]) == [CardFacts.of(t) for t in tools]
