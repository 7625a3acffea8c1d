"""Deciding: compare three assistants, and run the wizard to a shareable result."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_context

pytestmark = pytest.mark.browser


def test_comparing_chatgpt_claude_and_gemini_shows_and_filters_differences(page: Page, shot):
    page.goto("/compare/?tools=chatgpt,claude,gemini")
    table = page.get_by_role("table")
    headers = table.locator("thead th")
    expect(headers).to_have_count(3)
    expect(headers).to_contain_text(["ChatGPT", "Claude", "Gemini"])
    rows = table.locator("tbody tr:not(.compare-section)")
    all_rows = rows.count()
    differing = table.locator("tbody tr.differs").count()
    assert 0 < differing < all_rows, (differing, all_rows)
    shot("all-rows")

    page.get_by_role("link", name="Show only differences").click()
    expect(page).to_have_url(re.compile(r"diff=1"))
    expect(rows).to_have_count(differing)
    for row in rows.all():
        expect(row).to_have_class(re.compile(r"\bdiffers\b"))
        expect(row.get_by_text("differs", exact=True)).to_be_visible()
    shot("only-differences")

    page.get_by_role("link", name="Show all rows").click()
    expect(rows).to_have_count(all_rows)
    shot("all-rows-again")


def shortlist(page: Page) -> list[str]:
    picks = page.locator("ol.picks .card-title")
    expect(picks.first).to_be_visible()
    return [name.strip() for name in picks.all_inner_texts()]


def test_the_wizard_recommends_free_commercial_music_tools_and_the_url_reproduces_it(
    page: Page, browser: Browser, live_site, shot
):
    page.goto("/")
    page.get_by_role("link", name=re.compile("Answer seven questions")).click()
    expect(page.get_by_text("Step 1 of 7")).to_be_visible()
    page.get_by_label("Music and audio").check()
    shot("step-1-music")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Step 2 of 7")).to_be_visible()
    outputs = page.get_by_role("group", name="Outputs you need")
    expect(outputs.get_by_label("Audio")).to_be_checked()  # implied by "Music and audio"
    shot("step-2-outputs")
    for step in range(2, 6):
        expect(page.get_by_text(f"Step {step} of 7")).to_be_visible()
        page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Step 6 of 7")).to_be_visible()
    page.get_by_label("Free only").check()
    shot("step-6-free-only")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Step 7 of 7")).to_be_visible()
    page.get_by_label("What it makes must be usable commercially").check()
    shot("step-7-commercial")
    page.get_by_role("button", name="See my recommendation").click()

    expect(page).to_have_url(re.compile(r"/wizard/result/\?"))
    for key in ("project=music-audio", "budget=free", "commercial=1"):
        assert key in page.url
    names = shortlist(page)
    picks = page.locator("ol.picks article.pick")
    for pick in picks.all():
        name = pick.locator(".card-title").inner_text()
        expect(pick.get_by_role("list", name="Why it fits"), name).to_be_visible()
        # The must-have leaves out "not allowed" and "unclear"; conditions are shown.
        expect(pick.locator(".badge"), name).to_have_text(
            re.compile(r"^Commercial use( OK|: conditions)$")
        )
        expect(pick.locator(".price"), name).to_contain_text(re.compile("free", re.I))
    shot("result")

    fresh = new_context(browser, live_site)
    try:
        again = fresh.new_page()
        again.goto(page.url)
        assert shortlist(again) == names
        shot("result-in-a-fresh-browser", again)
    finally:
        fresh.close()
