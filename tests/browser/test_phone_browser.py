"""On a 390 px phone nothing is wider than the screen, except inside a scroll box that takes
keyboard focus (item 10 of the site's second pass); the real DOAP files are imported."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, page_overflow, screenshot

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/compare/2023/im/client/",
    "/software/",
    "/software/{prosody}/",
    "/software/{openfire}/",
    "/software/{prosody}/history/",
    "/suites/",
    "/suites/2023/",
    "/specs/",
    "/specs/XEP-0030/",
    "/registry/",
    "/software/no-such-entry/",
]

# Elements wider than their box that scroll it, and whether each can take the focus.
SCROLL_BOXES = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.scrollWidth > e.clientWidth + 1
    && ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
  .map(e => ({box: e.className || e.tagName, focusable: e.tabIndex >= 0}))"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], indirect=True)
def test_nothing_is_wider_than_a_phone_outside_a_focusable_scroll_box(
    live_server, real_entries, page
):
    slugs = {stem: software.slug for stem, software in real_entries.items()}
    for path in PAGES:
        path = path.format(**slugs)
        page.goto(live_server.url + path)
        assert page_overflow(page) == 0, path
        boxes = page.evaluate(SCROLL_BOXES)
        assert all(box["focusable"] for box in boxes), (path, boxes)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], indirect=True)
def test_screenshots_for_a_reviewer(live_server, real_entries, page, viewport):
    size = "phone" if viewport is PHONE else "desktop"
    prosody = real_entries["prosody"].slug
    for name, path in [("home", "/"), ("software", f"/software/{prosody}/")]:
        page.goto(live_server.url + path)
        screenshot(page, f"{name}-{size}")
