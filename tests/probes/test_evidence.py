"""Evidence never carries credentials, and private data only as a summary."""

from __future__ import annotations

import subprocess
import sys

import pytest

from probes.evidence import (
    MAX_TEXT,
    REDACTED_WINDOW,
    http_text,
    redact,
    redact_urls,
    summarized,
)
from probes.xmpp import ROSTER, el, iq, tag
from tests.conftest import ROOT


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


# Text that made a pattern rescan to the end of a run at every position it could start from.
HOSTILE = {
    "letters and dots (URL schemes)": "a.",
    "unclosed SASL tags": "<auth ",
    "unclosed password tags": "<password ",
    "secret header names, no '>'": "<header name='cookie' ",
    "password attributes, quotes unmatched": "password='x\"",
    "userinfo without '@'": "a:/x",
}


def test_it_redacts_512_kib_of_hostile_text_in_linear_time():
    """In a child process, killed after 20 s: the old patterns took about 25 s for 80,000
    characters of letters and dots, quadratically more for 512 KiB."""
    script = (
        "import time\n"
        "from probes.evidence import redact, redact_patterns, redact_urls\n"
        f"for unit in {list(HOSTILE.values())!r}:\n"
        "    text = (unit * (512 * 1024 // len(unit) + 1))[: 512 * 1024]\n"
        "    start = time.perf_counter()\n"
        "    redact(text, ['s3cret'])\n"
        "    redact_urls(text)\n"
        "    redact_patterns(text)  # the patterns over all of it, uncut\n"
        "    print(time.perf_counter() - start)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 0, done.stderr
    seconds = dict(zip(HOSTILE, map(float, done.stdout.split()), strict=True))
    assert max(seconds.values()) < 0.5, seconds  # about 40 ms each


def test_it_redacts_only_the_start_of_a_huge_text_and_says_how_much_is_cut():
    text = "<message>" + "x" * 100_000 + "</message>"
    redacted = redact(text)
    assert redacted == "<message>" + "x" * (MAX_TEXT - 9) + f"… [{len(text) - MAX_TEXT} more chars]"


@pytest.mark.parametrize(
    ("text", "shown"),
    [  # what the cut at REDACTED_WINDOW splits is redacted all the same, or not shown at all
        ("<password>" + "p" * REDACTED_WINDOW + "</password>", "<password>[redacted]"),
        ("<auth mechanism='PLAIN'>" + "A" * REDACTED_WINDOW, "<auth mechanism='PLAIN'>[redacted "),
        ("<x password='" + "p" * REDACTED_WINDOW + "'/>", "<x password='[redacted]'"),
        ("<a href='https://" + "u" * REDACTED_WINDOW + "@h/'/>", "<a href='https://… ["),
    ],
)
def test_it_never_shows_a_secret_the_cut_splits(text, shown):
    redacted = redact(text)
    assert redacted.startswith(shown)
    assert not {"pp", "AA", "uu"} & {redacted[i : i + 2] for i in range(len(redacted))}


def test_it_redacts_a_literal_secret_wherever_it_is_in_a_huge_text():
    text = "<password>" + "p" * (REDACTED_WINDOW - 24) + "</password>s3cret" + "y" * 10
    assert "s3c" not in redact(text, ["s3cret"])


def test_it_finds_urls_after_any_character_that_cannot_start_a_scheme():
    assert redact_urls("(-https://x/f?t=1 ") == "(-https://x/f?[redacted] "  # '-' led the scheme
    assert redact_urls("id_https://x/f?t=1") == "id_https://x/f?[redacted]"  # no \b before it
    assert redact_urls("ftp.https://x/f?t=1") == "ftp.https://x/f?[redacted]"
