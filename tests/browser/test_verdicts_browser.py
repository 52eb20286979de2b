"""The verdict first and readable, at 1400 px and on a 390 px phone, with the real DOAP files;
entries without data say so (items 1 and 2 of the site's second pass)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, page_overflow, screenshot

pytestmark = pytest.mark.browser
COMPARE = "/compare/2023/im/advanced-client/"


def row(page, name):
    return page.locator("#compare-table tbody tr", has=page.locator(f"th a:text-is('{name}')"))


def inside_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    if box is None:
        return False
    return box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


@pytest.mark.parametrize("viewport", [DESKTOP], indirect=True)
def test_the_verdict_stays_in_view_on_a_desktop(live_server, real_entries, page):
    page.goto(live_server.url + COMPARE)
    conversations = row(page, "Conversations")
    verdict = conversations.locator("td.verdict")
    expect(verdict).to_contain_text("not compliant")
    assert inside_viewport(page, verdict)
    assert inside_viewport(page, conversations.locator("td.missing-count"))
    # Scrolled fully right, the name and the verdict are still there.
    page.locator("#compare-table .table-scroll").evaluate("box => box.scrollLeft = box.scrollWidth")
    assert inside_viewport(page, verdict)
    assert inside_viewport(page, conversations.locator("th[scope=row]"))
    screenshot(page, "compare-desktop")


@pytest.mark.parametrize("viewport", [PHONE], indirect=True)
def test_a_phone_gets_a_compact_row_with_the_whole_verdict(live_server, real_entries, page):
    page.goto(live_server.url + COMPARE)
    for name in ("Conversations", "Dino", "Gajim"):
        verdict = row(page, name).locator("td.verdict")
        expect(verdict).to_be_visible()
        assert inside_viewport(page, verdict)
        assert "not compliant" in verdict.inner_text()
        missing = row(page, name).locator("td.missing-count")
        assert inside_viewport(page, missing)
        assert missing.locator("strong").inner_text().isdigit()
        assert missing.locator(".cell-detail").is_visible()
    assert page_overflow(page) == 0
    screenshot(page, "compare-phone")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], indirect=True)
def test_entries_without_data_say_no_data(live_server, real_entries, page):
    page.goto(live_server.url + "/compare/2023/core/client/?role=library")
    libstrophe = row(page, "libstrophe")
    expect(libstrophe.locator("td.verdict")).to_have_text("? no data")
    assert "not compliant" not in libstrophe.inner_text()
    assert "not listed" not in libstrophe.inner_text()
    expect(row(page, "slixmpp").locator("td.verdict")).not_to_have_text("? no data")
    page.goto(live_server.url + "/compare/2023/core/client/?compliant=on")
    expect(page.locator("#compare-table tbody tr", has_text="no data")).to_have_count(0)
