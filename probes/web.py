"""The web side of a domain (XEP-0156): host-meta links, and where BOSH and WebSocket live.

host-meta is fetched once per run (XRD and JRD) and shared by the host-meta, BOSH and
WebSocket checks; without host-meta links, the conventional paths are tried.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from probes.connect.http import HttpResponse
from probes.errors import (
    AddressRefused,
    NetworkError,
    NothingListens,
    ProtocolError,
    ResponseTooLarge,
)
from probes.outcomes import Evidence
from probes.probe import Context

XRD = "http://docs.oasis-open.org/ns/xri/xrd-1.0"
WEBSOCKET_REL = "urn:xmpp:alt-connections:websocket"
BOSH_REL = "urn:xmpp:alt-connections:xbosh"
CONVENTIONAL = {WEBSOCKET_REL: ("/xmpp-websocket", "/ws"), BOSH_REL: ("/http-bind", "/bosh")}


@dataclass
class HostMeta:
    """The domain's host-meta: both answers (or why there is none), the links, the problems."""

    xrd: HttpResponse | BaseException
    jrd: HttpResponse | BaseException
    links: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


def nothing_listens(errors: list[BaseException], offers: str) -> str | None:
    """The one-line detail of a web check whose every candidate origin refused the connection
    (nothing listens there: the server offers no such endpoint, a fail), else None (a timeout,
    a DNS failure or a mix with one: the check's error)."""
    if not errors or not all(isinstance(exc, NothingListens) for exc in errors):
        return None
    origins = " or ".join(dict.fromkeys(exc.origin for exc in errors))
    return (
        f"Nothing listens at {origins} (connection refused on every address): the server "
        f"offers no {offers}."
    )


def parse_xml(data: str | bytes, source: str) -> ET.Element:
    """The XML a web endpoint sent; a ProtocolError when it is not well-formed or declares
    entities (which defusedxml refuses: they are the vehicle of expansion bombs)."""
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ProtocolError(
            f"{source} sent XML with a DTD or an entity declaration ({exc})."
        ) from exc
    except SafeET.ParseError as exc:
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        message = f"{source} sent {text[:80]!r}, which is not well-formed XML ({exc})."
        raise ProtocolError(message) from exc


def xrd_links(body: bytes) -> list[tuple[str, str]]:
    root = SafeET.fromstring(body)
    return [(link.get("rel", ""), link.get("href", "")) for link in root.iter(f"{{{XRD}}}Link")]


def jrd_links(body: bytes) -> list[tuple[str, str]]:
    data = json.loads(body)
    return [(link.get("rel", ""), link.get("href", "")) for link in data.get("links", [])]


async def _fetch(ctx: Context) -> HostMeta:
    base = f"{ctx.options.web_base}/.well-known/host-meta"
    answers: list[HttpResponse | BaseException] = []
    for url in (base, f"{base}.json"):
        try:
            answers.append(await ctx.http("GET", url))
        except (AddressRefused, NetworkError, ProtocolError, ResponseTooLarge) as exc:
            answers.append(exc)  # recorded; judged by the checks (a probe bug is not an answer)
    meta = HostMeta(*answers, evidence=ctx.evidence)
    for name, answer, parse in (
        ("host-meta", answers[0], xrd_links),
        ("host-meta.json", answers[1], jrd_links),
    ):
        if isinstance(answer, BaseException):
            meta.problems.append(f"{name}: {answer}")
        elif answer.status != 200:
            meta.problems.append(f"{name}: HTTP {answer.status}")
        else:
            try:
                for rel, href in parse(answer.body):
                    meta.links.setdefault(rel, [])
                    if href not in meta.links[rel]:
                        meta.links[rel].append(href)
            except Exception as exc:  # a malformed document is a finding, not a crash
                meta.problems.append(f"{name}: not a valid document ({exc})")
    return meta


async def host_meta(ctx: Context) -> HostMeta:
    """The domain's host-meta (fetched once per run); its exchanges join ctx's evidence."""
    meta = await ctx.probe.memo("host-meta", lambda: _fetch(ctx.sub(ctx.domain)))
    ctx.evidence += meta.evidence
    return meta


async def endpoints(ctx: Context, rel: str, scheme_map: dict[str, str]) -> list[str]:
    """The URLs host-meta gives for rel, else the conventional paths on the web base."""
    meta = await host_meta(ctx)
    if meta.links.get(rel):
        return meta.links[rel]
    base = ctx.options.web_base
    for old, new in scheme_map.items():
        if base.startswith(old):
            base = new + base[len(old) :]
    ctx.note(f"No host-meta link {rel}: trying the conventional paths.")
    return [base + path for path in CONVENTIONAL[rel]]
