"""Evidence as text, with credentials redacted and private data summarized.

Redacted everywhere: SASL payloads (<auth>, <response>, <challenge>, <success>: PLAIN carries the
password, SCRAM the proofs), <password> elements and password attributes (XEP-0215 TURN
credentials), Authorization/Cookie headers (of HTTP exchanges and of XEP-0363 upload slots),
the userinfo and query of every URL (upload services put their tokens there, under any name), and
any literal secret the probe was given. The user's
private data (roster, blocklist, bookmarks, archive, vCard) is summarized, never copied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from slixmpp.xmlstream import tostring

SASL_PAYLOAD = re.compile(
    r"(<(auth|response|challenge|success)\b[^>]*(?<!/)>)([^<]+)(</\2>)", re.IGNORECASE
)
PASSWORD_ELEMENT = re.compile(r"(<password\b[^>]*(?<!/)>)([^<]+)(</password>)", re.IGNORECASE)
# XEP-0363 slot headers (Authorization, Cookie) and XEP-0215 credentials (password=).
SECRET_HEADER_ELEMENT = re.compile(
    r"(<header\b[^>]*name=['\"](?:authorization|cookie)['\"][^>]*>)([^<]+)(</header>)",
    re.IGNORECASE,
)
PASSWORD_ATTRIBUTE = re.compile(r"(\bpassword=)(['\"])[^'\"]*\2", re.IGNORECASE)
SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie"}
# scheme://, userinfo@ (optional), host and path, ?query (optional); a URL ends at a space, a
# quote or an angle bracket, so URLs in XML attributes and in messages are found alike.
URL = re.compile(
    r"\b([a-z][a-z0-9+.-]*://)([^/?#@\s'\"<>]*@)?([^?#\s'\"<>]*)(\?[^#\s'\"<>]*)?", re.IGNORECASE
)
MAX_TEXT = 4000


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """XML text with SASL payloads, passwords, slot credentials and URL tokens redacted."""
    text = SASL_PAYLOAD.sub(lambda m: f"{m[1]}[redacted {len(m[3])} chars]{m[4]}", text)
    text = PASSWORD_ELEMENT.sub(lambda m: f"{m[1]}[redacted]{m[3]}", text)
    text = SECRET_HEADER_ELEMENT.sub(lambda m: f"{m[1]}[redacted]{m[3]}", text)
    text = PASSWORD_ATTRIBUTE.sub(lambda m: f"{m[1]}{m[2]}[redacted]{m[2]}", text)
    text = redact_urls(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    if len(text) > MAX_TEXT:
        text = f"{text[:MAX_TEXT]}… [{len(text) - MAX_TEXT} more chars]"
    return text


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


def redact_urls(text: str) -> str:
    """Every URL in text without its userinfo and query (a malformed URL too): upload services
    put their tokens in the query under any name (token=, v= for an HMAC...), and a userinfo may
    be a token on its own. Namespaces keep their '#fragment'."""
    return URL.sub(
        lambda m: m[1] + ("[redacted]@" if m[2] else "") + m[3] + ("?[redacted]" if m[4] else ""),
        text,
    )


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
