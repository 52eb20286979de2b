"""Evidence never carries credentials, and private data only as a summary."""

from __future__ import annotations

from probes.evidence import http_text, redact, redact_url, summarized
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


def test_it_redacts_urls_and_headers_of_http_exchanges():
    url = "https://user:pw@example.org/upload/f.txt?token=abc&name=f"
    assert (
        redact_url(url)
        == "https://user:[redacted]@example.org/upload/f.txt?token=[redacted]&name=f"
    )
    text = http_text(
        "PUT",
        url,
        {"Authorization": "Bearer x", "Content-Type": "text/plain"},
        201,
        {"Set-Cookie": "s=1"},
        b"ok",
    )
    assert "Bearer x" not in text
    assert "s=1" not in text
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
