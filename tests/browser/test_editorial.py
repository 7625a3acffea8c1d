"""The editorial loop: a visitor suggests a tool; an editor signs in and edits one."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import new_context
from tests.browser.server import EDITOR_PASSWORD, EDITOR_USERNAME

pytestmark = pytest.mark.browser


def test_a_suggested_tool_reaches_the_editors_queue(page: Page, live_site, shot):
    page.goto("/submit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest a tool")
    page.get_by_label("Tool name").fill("Lyric Loom")
    page.get_by_label("Its website").fill("https://lyric-loom.example.net/")
    page.get_by_label("What does it do, in one line?").fill("Writes song lyrics to a melody.")
    page.get_by_label("How is it priced?").select_option(label="Freemium")
    page.get_by_role("group", name="What does it make?").get_by_label("Text").check()
    shot("filled-in")

    page.get_by_role("button", name="Send suggestion").click()
    expect(page).to_have_url(re.compile(r"/submit/thanks/$"))
    shot("thanks")

    queued = live_site.shell(
        "from editorial.models import Submission;"
        "s = Submission.objects.get(name='Lyric Loom');"
        "print(s.kind, s.website, s.pricing_model, *s.modalities.values_list('slug', flat=True))"
    )
    assert queued == "new_tool https://lyric-loom.example.net/ freemium text"


def test_an_editor_signs_in_and_edits_a_tool(page: Page, browser: Browser, live_site, shot):
    page.goto(reverse("admin:index"))
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("Username").fill(EDITOR_USERNAME)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    shot("sign-in")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What is waiting")
    shot("admin-index")

    page.get_by_role("link", name="Tools", exact=True).first.click()
    page.get_by_role("searchbox").fill("Midjourney")
    page.get_by_role("searchbox").press("Enter")
    shot("changelist-search")
    page.locator("#result_list").get_by_role("link", name="Midjourney", exact=True).click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Midjourney")

    new_pitch = "Image generator edited in a real browser by an editor."
    page.get_by_label("Pitch").fill(new_pitch)
    shot("editing")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    shot("saved")

    visitor = new_context(browser, live_site)
    try:
        public = visitor.new_page()
        public.goto("/tools/midjourney/")
        expect(public.get_by_text(new_pitch).first).to_be_visible()
        shot("public-page-shows-the-edit", public)
    finally:
        visitor.close()
