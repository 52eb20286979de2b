"""Evidence never carries credentials, and private data only as a summary."""

from __future__ import annotations

import pytest

from probes.evidence import http_text, redact, redact_urls, summarized
from probes.xmpp import ROSTER, el, iq, tag


def test_it_redacts_sasl_payloads_and_passwords():
    text = (
        "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AHRlc3QAc2VjcmV0</auth>"
        "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>Yz1iaXdzLHI9</response>"
        "<password>hunter2</password><service type='turn' password='hunter3'/>"
        "<header name='Authorization'>Bearer abc</header>"
    )
    redacted = redact(text, ["s3cret"])
    for secret in ("AHRlc3QAc2VjcmV0", "Yz1iaXdzLHI9", "hunter2", "hunter3", "Bearer abc"):
        assert secret not in redacted
    assert "mechanism='PLAIN'>[redacted 16 chars]</auth>" in redacted


def test_it_scrubs_the_literal_password_anywhere():
    assert redact("the password is s3cret!", ["s3cret"]) == "the password is [redacted]!"


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        (
            "https://user:pw@example.org/upload/f.txt?token=abc&name=f",
            "https://[redacted]@example.org/upload/f.txt?[redacted]",
        ),
        ("https://t0ken@example.org/f", "https://[redacted]@example.org/f"),
        ("https://example.org/f?v=5e2a9c", "https://example.org/f?[redacted]"),  # an HMAC
        ("http://[::1/f?token=abc", "http://[::1/f?[redacted]"),  # malformed, redacted anyway
        ("http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#info"),
    ],
)
def test_it_redacts_userinfo_and_query_of_every_url(url, redacted):
    assert redact_urls(url) == redacted
    assert redact_urls(f"Could not fetch {url} at all.") == f"Could not fetch {redacted} at all."


def test_it_redacts_urls_in_xml():
    slot = (
        "<slot xmlns='urn:xmpp:http:upload:0'><put url='https://up.example/f?v=5e2a&amp;e=1'/>"
        '<get url="https://dl.example/f?s=6b3f" /></slot>'
    )
    assert redact(slot) == (
        "<slot xmlns='urn:xmpp:http:upload:0'><put url='https://up.example/f?[redacted]'/>"
        '<get url="https://dl.example/f?[redacted]" /></slot>'
    )


def test_it_redacts_urls_and_headers_of_http_exchanges():
    url = "https://user:pw@example.org/upload/f.txt?token=abc&name=f"
    text = http_text(
        "PUT",
        url,
        {"Authorization": "Bearer x", "Content-Type": "text/plain"},
        201,
        {"Set-Cookie": "s=1", "Location": "https://example.org/f?sig=9"},
        b"ok",
    )
    assert text.splitlines()[0] == "PUT https://[redacted]@example.org/upload/f.txt?[redacted]"
    for secret in ("Bearer x", "s=1", "sig=9"):
        assert secret not in text
    assert "Content-Type: text/plain" in text
    assert text.splitlines()[-1] == "  ok"


def test_it_summarizes_private_payloads():
    roster = el(
        tag(ROSTER, "query"),
        {"ver": "3"},
        *[el(tag(ROSTER, "item"), {"jid": f"f{i}@x"}) for i in range(2)],
    )
    text = summarized(iq("result", None, roster))
    assert "f0@x" not in text
    assert "[2 × item]" in text
    assert text.endswith("(private content not recorded)")
