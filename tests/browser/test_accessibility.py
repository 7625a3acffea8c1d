"""Every public page passes axe-core (no serious or critical violations) and the Nu HTML checker.

axe runs inside Chromium: the site's CSP forbids injected scripts, so only
these checks use a context that bypasses it. The Nu checker reads the HTML
exactly as the server sends it.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import ARTIFACTS, new_context
from tests.browser.server import EDITOR_USERNAME, REVIEW_SLUG

pytestmark = pytest.mark.browser

MUSIC = "project=music-audio"
PUBLIC_PAGES = {
    "home": "/",
    "catalogue": "/tools/",
    "catalogue-filtered": "/tools/?output=image&free=1&commercial=allowed",
    "catalogue-page-2": "/tools/?page=2",
    "search-with-a-typo": "/tools/?q=midjorney",
    "modality": "/modalities/image/",
    "family": "/families/llm/",
    "use-case": "/use-cases/music-audio/",
    "vendor": "/vendors/openai/",
    "tool": "/tools/midjourney/",
    "alternatives": "/tools/midjourney/alternatives/",
    "compare": "/compare/?tools=chatgpt,claude,gemini",
    "compare-differences": "/compare/?tools=chatgpt,claude,gemini&diff=1",
    "compare-nothing-chosen": "/compare/",
    "explainer": "/llms-vs-generative-ai/",
    **{f"wizard-step-{n}": f"/wizard/?step={n}&{MUSIC}" for n in range(1, 8)},
    "wizard-result": f"/wizard/result/?{MUSIC}&budget=free&commercial=1",
    "wizard-pipeline": "/wizard/result/?project=video-content&script=1",
    "wizard-excluded": f"/wizard/excluded/?{MUSIC}&budget=free&commercial=1",
    "reviews": "/reviews/",
    "review": f"/reviews/{REVIEW_SLUG}/",
    "review-author": f"/reviews/by/{EDITOR_USERNAME}/",
    "submit": "/submit/",
    "submit-thanks": "/submit/thanks/",
    "report-a-problem": "/tools/midjourney/report/",
    "not-found": "/tools/no-such-tool/",
}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_page(browser: Browser, live_site) -> Iterator[Page]:
    context = new_context(browser, live_site, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_axe_finds_no_serious_or_critical_violations(axe_page: Page, axe_js: Path, name: str):
    response = axe_page.goto(PUBLIC_PAGES[name])
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200)
    axe_page.add_script_tag(path=axe_js)
    violations = axe_page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    axe_page.screenshot(path=folder / f"{name}.png", full_page=True)
    blocking = [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert not blocking, "\n".join(blocking)


def test_the_nu_html_checker_finds_no_errors(live_site, vnu_jar: Path, tmp_path: Path):
    files = {}
    for name, path in PUBLIC_PAGES.items():
        try:
            with urllib.request.urlopen(live_site.url + path, timeout=20) as response:
                html = response.read()
        except urllib.error.HTTPError as error:  # the 404 page is checked too
            html = error.read()
        files[name] = tmp_path / f"{name}.html"
        files[name].write_bytes(html)
    done = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json"]
        + [str(f) for f in files.values()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    by_page = {f.as_uri(): name for name, f in files.items()}
    errors = [
        f"{by_page.get(m.get('url'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        f" [{m.get('extract', '').strip()[:120]}]"
        for m in messages
    ]
    assert not errors, "\n".join(errors)
