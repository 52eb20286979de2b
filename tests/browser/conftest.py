"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, against live_server."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Screenshots tests take for a reviewer: build artefacts, never committed (var/ is ignored).
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "var" / "screenshots"))
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module: Playwright's loop must be gone before other tests run."""
    if not shutil.which(CHROMIUM):
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: CI installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def viewport(request):
    """The viewport of `page`; parametrize it indirectly with DESKTOP or PHONE."""
    return getattr(request, "param", DESKTOP)


@pytest.fixture
def page(browser, viewport):
    """A page that fails its test if the site's Content-Security-Policy refused anything."""
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 600)
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    yield page
    context.close()
    assert refused == [], "the Content-Security-Policy refused something the site uses"


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def real_entries(transactional_db, doap_dir):
    """The 13 real DOAP files of ../shared/doap/, imported as a visitor finds them."""
    from compliance.doap.importer import import_doap

    return {path.stem: import_doap(str(path)).software for path in sorted(doap_dir.glob("*.doap"))}


def screenshot(page, name: str) -> Path:
    """A full-page screenshot under SCREENSHOTS, for a reviewer to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def page_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport asked for (0: nothing sideways).
    Not window.innerWidth: a mobile browser widens its layout viewport to fit what overflows."""
    return page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]


# axe-core (MPL-2.0), pinned in tests/browser/axe/package-lock.json and installed there with
# `npm ci` (dev.py test does it first; the fixture below when run alone). Never committed.
AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def install_axe() -> Path:
    """The pinned axe.min.js, installed with npm when missing."""
    if not AXE_SCRIPT.exists() and shutil.which("npm"):
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", str(AXE_DIR)],
            check=True,
            capture_output=True,
        )
    return AXE_SCRIPT


@pytest.fixture(scope="module")
def axe_script() -> Path:
    script = install_axe()
    if not script.exists():
        if IN_CI:
            pytest.fail("axe-core is missing and npm is not there to install it")
        pytest.skip("axe-core is not installed and there is no npm (apt-get install npm)")
    return script


@pytest.fixture
def axe_page(browser, viewport):
    """A page whose Content-Security-Policy is bypassed, for the axe test only: the site has
    no inline scripts, and axe is injected as one."""
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()
