"""A visitor browsing: home, three-click filtering, pages, a typo, a tool page."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def facet_option(page: Page, facet: str, option: str):
    """The link for `option` (its name then a count) in the filter group titled `facet`."""
    group = page.locator("details.facet").filter(has=page.locator("summary", has_text=facet))
    return group.get_by_role("link", name=re.compile(rf"^{re.escape(option)}\s+\d+"))


def result_cards(page: Page):
    return page.get_by_role("region", name="Results").locator("article.card")


def test_the_home_page_leads_into_the_catalogue(page: Page, shot):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Find the AI tool that fits your project"
    )
    expect(page.locator("article.card").first).to_be_visible()
    shot("home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalogue").click()
    expect(page).to_have_url(re.compile(r"/tools/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("AI tool catalogue")
    shot("catalogue")


def test_a_free_image_generator_for_commercial_use_is_three_clicks_away(page: Page, shot):
    page.goto("/tools/")
    shot("catalogue")

    facet_option(page, "Makes", "Image").click()
    expect(page).to_have_url(re.compile(r"output=image"))
    shot("makes-image")
    facet_option(page, "Free tier", "Has a free tier").click()
    expect(page).to_have_url(re.compile(r"free=1"))
    shot("free-tier")
    facet_option(page, "Commercial use of outputs", "Allowed").click()
    expect(page).to_have_url(re.compile(r"commercial=allowed"))
    expect(page.get_by_role("list", name="Active filters").get_by_role("link")).to_have_count(4)
    shot("commercial-use-allowed")

    cards = result_cards(page)
    expect(cards.first).to_be_visible()
    assert cards.count() >= 3
    for card in cards.all():
        name = card.locator(".card-title").inner_text()
        expect(card.locator(".chip-out", has_text="Image"), name).to_have_count(1)
        expect(card.locator(".price"), name).to_contain_text(re.compile("free", re.I))
        expect(card.locator(".badge"), name).to_have_text("Commercial use OK")


def test_the_catalogue_pages_forward_and_back(page: Page, shot):
    page.goto("/tools/")
    pagination = page.get_by_role("navigation", name="Pages")
    status = pagination.locator(".page-status")
    expect(status).to_have_text(re.compile(r"^Page 1 of [2-9]"))
    first_on_page_one = result_cards(page).first.locator(".card-title").inner_text()

    pagination.get_by_role("link", name=re.compile("Next")).click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(status).to_have_text(re.compile(r"^Page 2 of "))
    expect(result_cards(page).first.locator(".card-title")).not_to_have_text(first_on_page_one)
    shot("page-2")

    pagination.get_by_role("link", name=re.compile("Previous")).click()
    expect(status).to_have_text(re.compile(r"^Page 1 of "))
    expect(result_cards(page).first.locator(".card-title")).to_have_text(first_on_page_one)
    shot("back-to-page-1")


def test_a_typo_still_finds_midjourney(page: Page, shot):
    page.goto("/")
    search = page.get_by_role("banner").get_by_role("search")
    box = search.get_by_role("searchbox")
    box.press_sequentially("midjorney", delay=30)
    suggestion = search.get_by_role("link", name=re.compile("Midjourney"))
    expect(suggestion.first).to_be_visible()
    shot("suggestions-while-typing")

    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/tools/\?q=midjorney"))
    shot("results-for-the-typo")
    if ON_POSTGRES:
        # Trigram similarity matches the misspelt name itself.
        expect(result_cards(page).first.locator(".card-title")).to_have_text("Midjourney")
    else:
        page.get_by_role("link", name="Midjourney", exact=True).click()
        expect(page).to_have_url(re.compile(r"q=Midjourney"))
        expect(result_cards(page).first.locator(".card-title")).to_have_text("Midjourney")
        shot("did-you-mean-followed")


def test_a_tool_page_opens_from_its_card(page: Page, shot):
    page.goto("/tools/?q=Midjourney")
    result_cards(page).first.get_by_role("link", name="Midjourney", exact=True).click()
    expect(page).to_have_url(re.compile(r"/tools/midjourney/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Midjourney")
    expect(page.get_by_text(re.compile("commercial", re.I)).first).to_be_visible()
    shot("tool-page")
