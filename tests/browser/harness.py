"""Shared browser fixtures (registered in tests/conftest.py).

Real headless Chromium (Debian's package) driven by Playwright, plus axe-core.

Pages are served by pytest-django's ``live_server`` on 127.0.0.1. Screenshots go to
``var/screenshots/sqlite/`` (``postgresql/`` on that run; not committed) at phone and
desktop widths.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.ci import fail_or_skip

# Playwright's sync API keeps an event loop in this thread; Django then refuses ORM
# calls from the test body unless told that this thread is really synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# One folder per database: `make test` runs the page tests on both at once.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2]
    / "var"
    / "screenshots"
    / ("postgresql" if os.environ.get("CUPURE_DATABASE_URL") else "sqlite")
)
# Widths we promise to look right at: a small phone and a laptop.
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}
# axe-core impacts that fail a page; "minor" and "moderate" are reported, not fatal.
BLOCKING_IMPACTS = {"serious", "critical"}
# A capture takes well under a second here; one still waiting after this has stalled.
STALLED_CAPTURE_MS = 15_000
# Ask for an animation frame; a second later give up waiting for it either way.
WAKE_COMPOSITOR = """() => new Promise(done => {
    requestAnimationFrame(done);
    setTimeout(done, 1000);
})"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = (
            f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)"
        )
        fail_or_skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp lets the test inject axe-core; the page's own CSP is tested apart.
    context = browser.new_context(
        viewport=dict(zip(("width", "height"), VIEWPORTS["desktop"], strict=True)),
        bypass_csp=True,
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical axe-core violations on the page as it is now."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make browser` (npm install axe-core)")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def capture(page: Page, path: Path) -> None:
    """One full-page screenshot, asked again once if Chromium's compositor stalls.

    Headless Chromium can leave a page's compositor idle so that a capture waits for
    a frame that never comes (CI once timed out after 30 s on a static article page
    whose DOM checks had all passed). The page is then asked for an animation frame,
    which wakes the compositor, and captured again; a page that truly cannot render
    fails the second time too.
    """
    try:
        page.screenshot(path=str(path), full_page=True, timeout=STALLED_CAPTURE_MS)
    except PlaywrightTimeoutError:
        page.evaluate(WAKE_COMPOSITOR)
        page.screenshot(path=str(path), full_page=True)


def screenshots(page: Page, name: str) -> list[Path]:
    """Save full-page screenshots of the current URL at every promised width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for label, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        path = SCREENSHOTS / f"{name}-{label}.png"
        capture(page, path)
        saved.append(path)
    page.set_viewport_size(
        dict(zip(("width", "height"), VIEWPORTS["desktop"], strict=True))
    )
    return saved
