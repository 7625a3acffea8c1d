"""Fixtures for the real-browser suite: one live site and one Chromium per run.

Playwright's sync API keeps an asyncio event loop running in the main thread
while it is started, and Django refuses ORM calls from inside one. So the
browser here is package-scoped (pytest-playwright's own `browser` is
session-scoped): it stops before the rest of the suite touches the database.
pytest-playwright still supplies `browser_type_launch_args`, so `--headed`
and `--slowmo` work as usual.

A missing Chromium, axe-core or Nu checker fails the run with the command that
fixes it; nothing here is skipped.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

from tests.browser.server import REPO, LiveSite

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOOLS = REPO / ".tools" / "node_modules"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = REPO / "artifacts" / "browser"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
_REPORTS = pytest.StashKey[dict]()
expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets the `page` fixture see whether the test failed and keep a screenshot.
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium (Playwright's own download is not available here)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="package")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    site = LiveSite(tmp_path_factory.mktemp("live-site"))
    try:
        site.start()
    except Exception as exc:
        site.stop()
        pytest.fail(f"could not start the live site: {exc}", pytrace=False)
    yield site
    site.stop()


@pytest.fixture(scope="package")
def browser(browser_type_launch_args: dict, browser_name: str) -> Iterator[Browser]:
    if browser_name != "chromium":
        pytest.fail(f"only Debian's Chromium is installed, not {browser_name}", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: `apt-get install -y chromium` "
            "(.ci/run does this), or set CHROMIUM to its path.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**browser_type_launch_args)
        yield browser
        browser.close()


def new_context(browser: Browser, site: LiveSite, **kwargs) -> BrowserContext:
    context = browser.new_context(base_url=site.url, viewport=VIEWPORT, locale="en-GB", **kwargs)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser: Browser, live_site: LiveSite) -> Iterator[BrowserContext]:
    context = new_context(browser, live_site)
    yield context
    context.close()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """This test's screenshot folder, emptied first: artifacts/browser/<test name>/."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def page(
    context: BrowserContext, artifacts: Path, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh page that records script errors and CSP violations, which fail the test."""
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("console", lambda message: problems.extend(_console_error(message)))
    yield page
    reports = request.node.stash.get(_REPORTS, {})
    if "call" in reports and reports["call"].failed and not page.is_closed():
        page.screenshot(path=artifacts / "failed.png", full_page=True)
    assert not problems, f"the browser reported errors on {page.url}: {problems}"


def _console_error(message: ConsoleMessage) -> list[str]:
    url = message.location.get("url", "")
    # Chromium asks for /favicon.ico on its own on pages without an icon link (the admin).
    if message.type != "error" or url.endswith("/favicon.ico"):
        return []
    return [f"console: {message.text} ({url})"]


@pytest.fixture
def shot(page: Page, artifacts: Path) -> Callable[..., None]:
    """Screenshot one step: shot("filtered") saves artifacts/browser/<test>/NN-filtered.png."""
    counter = itertools.count(1)

    def take(name: str, target: Page | None = None) -> None:
        (target or page).screenshot(
            path=artifacts / f"{next(counter):02d}-{name}.png", full_page=True
        )

    return take


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `make browser-deps`.", pytrace=False)
    return AXE_JS


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    if not VNU_JAR.exists():
        pytest.fail(f"vnu.jar is missing at {VNU_JAR}: run `make browser-deps`.", pytrace=False)
    if shutil.which("java") is None:
        pytest.fail("Java is missing: the Nu HTML checker needs it.", pytrace=False)
    return VNU_JAR
