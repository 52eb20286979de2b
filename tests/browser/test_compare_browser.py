"""A real browser filters and sorts a comparison table through htmx, and without JavaScript,
under the site's Content-Security-Policy (the waits use locators, not evaluated strings)."""

import re

import pytest
from playwright.sync_api import expect

from tests.compliance.factories import CORE_CLIENT, IM_CLIENT, make_software

pytestmark = pytest.mark.browser


@pytest.fixture
def entries(transactional_db):
    make_software("Alpha Client", specs=CORE_CLIENT + IM_CLIENT, platforms=["Linux"])
    make_software("Beta Client", specs=CORE_CLIENT, platforms=["Android"])
    make_software(
        "Gamma Library", role="library", specs=CORE_CLIENT + IM_CLIENT, platforms=["Windows"]
    )


def row_names(page) -> list[str]:
    return page.locator("#compare-table tbody th[scope=row] a").all_inner_texts()


def test_it_filters_pushes_the_url_and_sorts(live_server, entries, page):
    page.goto(f"{live_server.url}/compare/2022/im/client/")
    assert row_names(page) == ["Alpha Client", "Beta Client", "Gamma Library"]

    with page.expect_response(re.compile(r"q=beta")):
        page.fill("#id_q", "beta")
    page.wait_for_url(re.compile(r"\?.*q=beta"))
    expect(page.locator("#compare-table tbody tr")).to_have_count(1)
    assert row_names(page) == ["Beta Client"]
    assert page.locator("[data-testid=row-count]").inner_text() == "1"

    page.fill("#id_q", "")
    expect(page.locator("#compare-table tbody tr")).to_have_count(3)
    page.select_option("#id_role", "library")
    page.wait_for_url(re.compile(r"role=library"))
    expect(page.locator("#compare-table tbody tr")).to_have_count(1)
    assert row_names(page) == ["Gamma Library"]

    page.select_option("#id_role", "")
    expect(page.locator("#compare-table tbody tr")).to_have_count(3)  # that answer swapped in
    page.check("#id_compliant")
    page.wait_for_url(re.compile(r"compliant=on"))
    expect(page.locator("#compare-table tbody tr")).to_have_count(2)
    assert row_names(page) == ["Alpha Client", "Gamma Library"]

    page.click("#compare-table thead a:has-text('Software')")
    page.wait_for_url(re.compile(r"sort=name_desc"))
    expect(page.locator("#compare-table tbody th a").first).to_have_text("Gamma Library")
    assert row_names(page) == ["Gamma Library", "Alpha Client"]

    # The pushed URL is a permalink: loading it afresh shows the same table.
    page.reload()
    assert row_names(page) == ["Gamma Library", "Alpha Client"]
    assert page.is_checked("#id_compliant")


def test_the_back_button_restores_the_previous_table(live_server, entries, page):
    page.goto(f"{live_server.url}/compare/2022/im/client/")
    page.select_option("#id_platform", "android")
    page.wait_for_url(re.compile(r"platform=android"))
    expect(page.locator("#compare-table tbody tr")).to_have_count(1)
    page.go_back()
    expect(page.locator("#compare-table tbody tr")).to_have_count(3)
    assert row_names(page) == ["Alpha Client", "Beta Client", "Gamma Library"]


def test_filters_work_with_javascript_off(live_server, entries, no_js_page):
    page = no_js_page
    page.goto(f"{live_server.url}/compare/2022/im/client/")
    page.select_option("#id_platform", "windows")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"platform=windows"))
    assert row_names(page) == ["Gamma Library"]
    page.click("#compare-table thead a:has-text('Verdict')")
    page.wait_for_url(re.compile(r"sort=verdict"))
    assert row_names(page) == ["Gamma Library"]


def test_the_software_list_filters_in_place(live_server, entries, page):
    page.goto(f"{live_server.url}/software/")
    page.select_option("#id_platform", "android")
    page.wait_for_url(re.compile(r"platform=android"))
    expect(page.locator("#software-results tbody tr")).to_have_count(1)
    assert page.locator("#software-results tbody th a").all_inner_texts() == ["Beta Client"]
