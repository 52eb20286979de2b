"""With JavaScript on, the filter form, the links and the address always agree (item 5 of the
site's second pass), on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.compliance.factories import CORE_CLIENT, IM_CLIENT, make_software

pytestmark = pytest.mark.browser
URL = "/compare/2022/im/client/"


@pytest.fixture
def entries(transactional_db):
    make_software("Alpha Client", specs=CORE_CLIENT + IM_CLIENT, platforms=["Linux"])
    make_software("Beta Client", specs=CORE_CLIENT, platforms=["Android"])
    make_software("Gamma Client", specs=CORE_CLIENT + IM_CLIENT, platforms=["Android"])


def names(page) -> list[str]:
    return page.locator("#compare-table tbody th[scope=row] a").all_inner_texts()


# The sort headers are a desktop's: a phone's compact rows sort with the form's "Sort by".
def test_a_header_sort_shows_in_the_form_and_survives_the_next_filter(live_server, entries, page):
    page.goto(live_server.url + URL)
    page.click("#sort-verdict")
    page.wait_for_url(re.compile(r"sort=verdict"))
    expect(page.locator("#id_sort")).to_have_value("verdict")
    page.select_option("#id_platform", "android")
    page.wait_for_url(re.compile(r"platform=android"))
    assert "sort=verdict" in page.url
    expect(page.locator("#compare-table tbody tr")).to_have_count(2)
    assert names(page) == ["Gamma Client", "Beta Client"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], indirect=True)
def test_the_address_has_no_empty_fields(live_server, entries, page):
    page.goto(live_server.url + URL + "?utm_source=mail")
    page.fill("#id_q", "alpha")
    page.wait_for_url(re.compile(r"q=alpha"))
    assert page.url.endswith(URL + "?q=alpha")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], indirect=True)
def test_back_restores_the_table_and_the_form_together(live_server, entries, page):
    page.goto(live_server.url + URL)
    page.check("#id_compliant")
    page.wait_for_url(re.compile(r"compliant=on"))
    page.select_option("#id_platform", "android")
    page.wait_for_url(re.compile(r"platform=android"))
    expect(page.locator("#compare-table tbody tr")).to_have_count(1)
    page.go_back()
    page.wait_for_url(re.compile(r"compliant=on$"))
    expect(page.locator("#compare-table tbody tr")).to_have_count(2)
    expect(page.locator("#id_compliant")).to_be_checked()
    expect(page.locator("#id_platform")).to_have_value("")
    page.go_back()
    expect(page.locator("#compare-table tbody tr")).to_have_count(3)
    expect(page.locator("#id_compliant")).not_to_be_checked()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], indirect=True)
def test_year_category_and_level_links_follow_the_filters(live_server, entries, page):
    page.goto(live_server.url + URL)
    page.fill("#id_q", "client")
    page.wait_for_url(re.compile(r"q=client"))
    expect(page.locator("nav[aria-label='Suite year'] a", has_text="2021")).to_have_attribute(
        "href", "/compare/2021/im/client/?q=client"
    )
    category = page.locator("nav[aria-label='Category'] a", has_text="Core")
    expect(category).to_have_attribute("href", "/compare/2022/core/client/?q=client")
    level = page.locator("nav[aria-label='Level'] a", has_text="Advanced Client")
    expect(level).to_have_attribute("href", "/compare/2022/im/advanced-client/?q=client")


def test_enter_on_a_sort_header_keeps_the_focus_there(live_server, entries, page):
    page.goto(live_server.url + URL)
    page.focus("#sort-verdict")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=verdict"))
    expect(page.locator("#sort-verdict")).to_be_focused()


@pytest.mark.parametrize("viewport", [PHONE], indirect=True)
def test_a_phone_sorts_with_the_form_and_keeps_the_filters(live_server, entries, page):
    page.goto(live_server.url + URL + "?platform=android")
    page.select_option("#id_sort", "name_desc")
    page.wait_for_url(re.compile(r"sort=name_desc"))
    assert "platform=android" in page.url
    assert names(page) == ["Gamma Client", "Beta Client"]
