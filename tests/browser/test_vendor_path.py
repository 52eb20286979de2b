"""The vendor's whole path in Chromium: sign up, the verification link from a real SMTP server
on loopback, ownership proven with a well-known file on a loopback HTTPS server, a claim edited
with the live preview, saved, in the history, and on the badge."""

import re

import pytest
from playwright.sync_api import expect

from compliance.models import Maintainer, Software
from tests.compliance.factories import CORE_CLIENT, IM_CLIENT, make_software

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple 7"


def badge_message(page, url: str) -> str:
    svg = page.request.get(url).text()
    return re.findall(r">([^<>]+)</text>", svg)[-1]


def test_a_vendor_signs_up_proves_ownership_and_edits_a_claim(
    live_server, page, smtp, https_site, transactional_db
):
    specs = CORE_CLIENT + [spec for spec in IM_CLIENT if spec != "XEP-0363"]
    make_software("Acme Chat", specs=specs, homepage=f"{https_site.url}/chat/")
    badge = f"{live_server.url}/badge/acme-chat/2023/im/client.svg"
    assert badge_message(page, badge) == "not compliant"

    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=email]", "maintainer@acme.example")
    page.fill("input[name=username]", "acme-maintainer")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Verify Your Email Address")

    (message,) = smtp.wait(1)
    body = (
        message.get_payload(decode=True).decode()
        if not message.is_multipart()
        else (message.get_payload(0).get_payload(decode=True).decode())
    )
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", body).group(0)
    page.goto(link)
    page.click("form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.locator("nav.account")).to_contain_text("acme-maintainer")

    page.goto(f"{live_server.url}/software/acme-chat/")
    page.click("text=Maintain this entry")
    token = page.locator("[data-testid=proof-token]").inner_text().strip()
    https_site.files["/.well-known/xmpp-compliance.txt"] = (200, f"{token}\n".encode(), {})
    page.click("text=Verify now: a file on the homepage's host")
    expect(page).to_have_url(re.compile(r"/software/acme-chat/edit/$"))
    expect(page.locator(".messages")).to_contain_text("Proven")
    assert Maintainer.objects.filter(user__username="acme-maintainer").exists()

    preview = page.locator("#preview")
    expect(preview).not_to_contain_text("with this you reach")
    page.select_option("#id_XEP-0363-status", "complete")
    expect(preview).to_contain_text("with this you reach IM Client 2023")
    page.click("#claim-XEP-0363 button:has-text('Save XEP-0363')")
    expect(page.locator("#claim-XEP-0363 .saved")).to_have_text("Saved.")
    assert Software.objects.get(slug="acme-chat").statuses["XEP-0363"] == "complete"

    page.goto(f"{live_server.url}/software/acme-chat/history/")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("acme-maintainer")
    expect(row).to_contain_text("XEP-0363 (self) created")
    expect(row).to_contain_text("complete")
    assert badge_message(page, badge) == "compliant"
