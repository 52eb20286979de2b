"""Finding and comparing (item 13 of the site's second pass), on a desktop and a phone, with
the real DOAP files: the list sorted and filtered by compliance, two entries side by side,
and a suite feature's entries."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, page_overflow, screenshot

pytestmark = pytest.mark.browser


def names(page) -> list[str]:
    return page.locator("#software-results tbody th[scope=row] > a").all_inner_texts()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], indirect=True)
def test_the_list_sorts_and_filters_by_compliance(live_server, real_entries, page):
    page.goto(live_server.url + "/software/")
    listed = names(page)
    assert listed == sorted(listed, key=str.casefold)  # ejabberd among the capitals
    assert "ejabberd" in listed
    page.select_option("#id_compliant", "2023/core/client")
    page.wait_for_url(re.compile(r"compliant=2023%2Fcore%2Fclient"))
    expect(page.locator("#software-results tbody tr")).not_to_have_count(len(listed))
    shown = names(page)
    assert "Conversations" in shown
    assert "Swift" not in shown  # no data
    page.select_option("#id_sort", "role")
    page.wait_for_url(re.compile(r"sort=role"))
    assert "compliant=2023" in page.url
    assert page_overflow(page) == 0


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], indirect=True)
def test_two_entries_side_by_side(live_server, real_entries, page, viewport):
    prosody, ejabberd = real_entries["prosody"].slug, real_entries["ejabberd"].slug
    page.goto(live_server.url + f"/software/{prosody}/")
    page.click("text=Compare side by side")
    page.fill("input[name=e] >> nth=1", ejabberd)
    page.click("button:has-text('Compare')")
    page.wait_for_url(re.compile(rf"e={prosody}&e={ejabberd}"))
    table = page.locator("table.side-by-side")
    expect(table.locator("thead th")).to_have_count(3)
    expect(table.locator("tbody tr")).to_have_count(10)  # the two server levels of 5 categories
    expect(page.locator("input[name=e]")).to_have_count(4)
    values = [page.locator("input[name=e]").nth(i).input_value() for i in range(4)]
    assert values == [prosody, ejabberd, "", ""]
    row = table.locator("tbody tr", has_text="XMPP 2023 · IM · Server")
    expect(row.locator("td")).to_have_count(2)
    assert page_overflow(page) == 0
    screenshot(page, f"side-by-side-{'phone' if viewport is PHONE else 'desktop'}")


def test_a_suite_feature_links_to_the_entries_that_meet_it(live_server, real_entries, page):
    page.goto(live_server.url + "/suites/2023/")
    page.locator("#im a.spec-index", has_text="entries that meet it").first.click()
    page.wait_for_url(re.compile(r"/suites/2023/im/1/$"))
    expect(page.locator("#client ul.entries li").first).to_be_visible()
    assert "Swift" not in page.locator("#client").inner_text()
