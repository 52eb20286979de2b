"""Evidence as text, with credentials redacted and private data summarized.

Redacted everywhere: SASL payloads (<auth>, <response>, <challenge>, <success>: PLAIN carries the
password, SCRAM the proofs), <password> elements and password attributes (XEP-0215 TURN
credentials), Authorization/Cookie headers (of HTTP exchanges and of XEP-0363 upload slots),
the userinfo and query of every URL (upload services put their tokens there, under any name), and
any literal secret the probe was given. The user's
private data (roster, blocklist, bookmarks, archive, vCard) is summarized, never copied.

Redaction runs on the event loop over whatever a server sends, so it is linear and bounded: every
pattern is linear in its text, and only the first REDACTED_WINDOW (64 KiB) characters of a text
are redacted and kept at all (an evidence text shows MAX_TEXT of them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from xml.etree import ElementTree as ET

from slixmpp.xmlstream import tostring

# Every pattern is linear in the text: a scan never runs past the next '<' or '>' (tags) or the next
# quote (attributes), and a URL starts only where no scheme character precedes it, so that no
# position inside a run of letters and dots starts a scan of its own. Each also matches at the end
# of the text, where `redact` may have cut an element or attribute short.
SASL_PAYLOAD = re.compile(
    r"(<(auth|response|challenge|success)\b[^<>]*(?<!/)>)([^<]+)(</\2>|\Z)", re.IGNORECASE
)
PASSWORD_ELEMENT = re.compile(r"(<password\b[^<>]*(?<!/)>)([^<]+)(</password>|\Z)", re.IGNORECASE)
# XEP-0363 slot headers (Authorization, Cookie) and XEP-0215 credentials (password=).
HEADER_ELEMENT = re.compile(r"(<header\b([^<>]*)>)([^<]+)(</header>|\Z)", re.IGNORECASE)
SECRET_HEADER_NAME = re.compile(r"\bname=['\"](?:authorization|cookie)['\"]", re.IGNORECASE)
PASSWORD_ATTRIBUTE = re.compile(r"(\bpassword=)(['\"])[^'\"]*(?:\2|\Z)", re.IGNORECASE)
SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie"}
# scheme://, userinfo@ (optional), host and path, ?query (optional); a URL ends at a space, a
# quote or an angle bracket, so URLs in XML attributes and in messages are found alike. The
# scheme is the whole run of scheme characters before '://' (one scan per run).
URL = re.compile(
    r"(?<![a-z0-9+.-])([a-z0-9+.-]*://)([^/?#@\s'\"<>]*@)?([^?#\s'\"<>]*)(\?[^#\s'\"<>]*)?",
    re.IGNORECASE,
)
USERINFO_END = re.compile(r"[/?#@\s'\"<>]")  # where a URL's userinfo (if any) has ended
MAX_TEXT = 4000  # characters of one piece of evidence
REDACTED_WINDOW = 64 * 1024  # characters of a text that are redacted at all (the rest is cut)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """XML text with SASL payloads, passwords, slot credentials and URL tokens redacted, cut to
    MAX_TEXT characters.

    Linear in the text, and bounded: the literal secrets go first, from the whole text (a plain
    replace); then only the first REDACTED_WINDOW characters are kept and redacted, the patterns
    matching an element or attribute cut short at the end too, and a URL whose userinfo the cut
    would split losing that part."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    head, hidden = _window(text)
    head = redact_patterns(head)
    if len(head) > MAX_TEXT:
        head, hidden = head[:MAX_TEXT], hidden + len(head) - MAX_TEXT
    return f"{head}… [{hidden} more chars]" if hidden else head


def redact_patterns(text: str) -> str:
    """Every pattern over the whole text, uncut: linear in it (`redact` bounds the text first)."""
    text = SASL_PAYLOAD.sub(lambda m: f"{m[1]}[redacted {len(m[3])} chars]{m[4]}", text)
    text = PASSWORD_ELEMENT.sub(lambda m: f"{m[1]}[redacted]{m[3]}", text)
    text = HEADER_ELEMENT.sub(_secret_header, text)
    text = PASSWORD_ATTRIBUTE.sub(lambda m: f"{m[1]}{m[2]}[redacted]{m[2]}", text)
    return URL.sub(_url, text)


def _window(text: str) -> tuple[str, int]:
    """The part of text that is redacted, and how many characters were cut off after it."""
    if len(text) <= REDACTED_WINDOW:
        return text, 0
    head = text[:REDACTED_WINDOW]
    scheme = head.rfind("://")
    if scheme != -1 and not USERINFO_END.search(head, scheme + 3):
        head = head[: scheme + 3]  # the userinfo's '@' may lie beyond the cut: not shown
    return head, len(text) - len(head)


def _secret_header(m: re.Match) -> str:
    return f"{m[1]}[redacted]{m[4]}" if SECRET_HEADER_NAME.search(m[2]) else m[0]


def xml_text(element: ET.Element, secrets: Iterable[str] = ()) -> str:
    return redact(tostring(element, xmlns="jabber:client", top_level=True), secrets)


def summarized(element: ET.Element) -> str:
    """A stanza with its payload reduced to element names and counts (for private data)."""
    shell = ET.Element(element.tag, element.attrib)
    for child in element:
        inner = ET.SubElement(shell, child.tag, {k: v for k, v in child.attrib.items()})
        counts: dict[str, int] = {}
        for grandchild in child:
            counts[grandchild.tag] = counts.get(grandchild.tag, 0) + 1
        if counts:
            inner.text = "[" + ", ".join(f"{n} × {_local(t)}" for t, n in counts.items()) + "]"
    return xml_text(shell) + "  (private content not recorded)"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def listed(names: Sequence[str], shown: int = 10) -> str:
    """Names for a note, the first `shown` of them and how many more (a server may list
    thousands)."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def redact_urls(text: str) -> str:
    """Every URL in text without its userinfo and query (a malformed URL too): upload services
    put their tokens in the query under any name (token=, v= for an HMAC...), and a userinfo may
    be a token on its own. Namespaces keep their '#fragment'. A text longer than REDACTED_WINDOW
    (a URL a server made that long) is cut there, saying how much."""
    head, hidden = _window(text)
    head = URL.sub(_url, head)
    return f"{head}… [{hidden} more chars]" if hidden else head


def _url(m: re.Match) -> str:
    return m[1] + ("[redacted]@" if m[2] else "") + m[3] + ("?[redacted]" if m[4] else "")


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {
        k: "[redacted]" if k.lower() in SECRET_HEADERS else redact_urls(v)
        for k, v in headers.items()
    }


def http_text(
    method: str,
    url: str,
    request_headers: dict[str, str] | None,
    status: int | None,
    response_headers: dict[str, str] | None = None,
    body: bytes = b"",
    *,
    body_limit: int = 600,
    redirects: Iterable[str] = (),
) -> str:
    """One HTTP exchange as text: request line and headers, status, response headers, body start."""
    lines = [f"{method} {redact_urls(url)}"]
    lines += [f"  {k}: {v}" for k, v in redact_headers(request_headers or {}).items()]
    lines += [f"  (redirected from {redact_urls(hop)})" for hop in redirects]
    if status is not None:
        lines.append(f"-> HTTP {status}")
        lines += [f"  {k}: {v}" for k, v in redact_headers(response_headers or {}).items()]
        if body:
            shown = body[:body_limit].decode("utf-8", errors="replace")
            more = f" … [{len(body) - body_limit} more bytes]" if len(body) > body_limit else ""
            lines.append(f"  {redact_urls(shown)}{more}")
    return "\n".join(lines)
