"""Entry logos: the DOAP file's schema:logo, fetched through the guarded client (compliance.fetch)
and stored on the entry, so pages never load an image from elsewhere.

A logo is at most MAX_BYTES; PNG, JPEG, GIF and WebP are recognised by their first bytes
(whatever the server calls them); an SVG is parsed without entities or DTDs and kept only
with its drawing: scripts, foreignObject, event attributes, styles and any link other than to
a fragment of itself are dropped, and the served copy has a Content-Security-Policy that runs
nothing. Anything else is refused with the reason, recorded on the entry."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.utils import timezone

from compliance.fetch import FetchFailed, FetchRequest, fetch_urls
from compliance.models import Software

MAX_BYTES = 256 * 1024
ACCEPT = "image/png, image/jpeg, image/gif, image/webp, image/svg+xml;q=0.9"
RASTERS = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# SVG elements that draw; anything else (script, foreignObject, style, animation, …) is dropped.
DRAWING = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse",
    "line", "polyline", "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop",
    "clipPath", "mask", "pattern", "filter", "feGaussianBlur", "feOffset", "feBlend",
    "feColorMatrix", "feComposite", "feFlood", "feMerge", "feMergeNode", "metadata",
}  # fmt: skip
LINK_ATTRIBUTES = {"href", f"{{{XLINK_NS}}}href"}
FOREIGN_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


class LogoRefused(Exception):
    """Why a fetched file is not kept as a logo, in one line."""


def clean_svg(data: bytes) -> bytes:
    """The SVG's drawing alone (see the module); LogoRefused when it is not an SVG."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except Exception as exc:  # defusedxml's refusals and ParseError alike
        raise LogoRefused(f"The SVG could not be read ({type(exc).__name__}).") from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise LogoRefused("The file is neither a PNG, JPEG, GIF, WebP nor an SVG image.")
    _clean(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _clean(element: ET.Element) -> None:
    for child in list(element):
        namespace, _, local = child.tag.rpartition("}")
        if namespace.lstrip("{") != SVG_NS or local not in DRAWING:
            element.remove(child)
        else:
            _clean(child)
    for name, value in list(element.attrib.items()):
        local = name.rpartition("}")[2]
        dangerous = local.lower().startswith("on") or local == "style"
        foreign_link = name in LINK_ATTRIBUTES and not value.startswith("#")
        if dangerous or foreign_link or FOREIGN_URL.search(value):
            del element.attrib[name]


def accept_logo(data: bytes) -> tuple[bytes, str]:
    """(the bytes to store, their content type), or LogoRefused."""
    if len(data) > MAX_BYTES:
        raise LogoRefused(f"The logo is over {MAX_BYTES // 1024} KiB.")
    for magic, content_type in RASTERS:
        if data.startswith(magic):
            return data, content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return data, "image/webp"
    return clean_svg(data), "image/svg+xml"


def _store(software_id: int, url: str, result) -> str:
    """Record one fetch on the entry: the logo, or why there is none. Returns the outcome."""
    fields = {"logo_fetched_url": url, "logo_error": ""}
    try:
        if isinstance(result, FetchFailed):
            raise LogoRefused(str(result))
        if result.status != 200:
            raise LogoRefused(f"Could not fetch {url}: the server answered HTTP {result.status}.")
        fields["logo"], fields["logo_type"] = accept_logo(result.body)
        outcome = "stored"
    except LogoRefused as exc:
        fields.update(logo=b"", logo_type="", logo_error=str(exc))
        outcome = "refused"
    Software.objects.filter(pk=software_id).update(logo_checked_at=timezone.now(), **fields)
    return outcome


def fetch_logos(software: list[Software], *, concurrency: int = 8) -> dict[str, int]:
    """Fetch the logo of each entry given (whose logo_url is set), concurrently through the
    guarded client, and store it or why it was refused; an entry without a logo URL any more
    loses its logo. Returns how many were stored, refused and cleared."""
    counts = {"stored": 0, "refused": 0, "cleared": 0}
    gone = [s.pk for s in software if not s.logo_url]
    if gone:
        Software.objects.filter(pk__in=gone).update(
            logo=b"", logo_type="", logo_error="", logo_fetched_url=""
        )
        counts["cleared"] = len(gone)
    wanted = [s for s in software if s.logo_url]
    results = fetch_urls(
        [FetchRequest(s.logo_url) for s in wanted],
        accept=ACCEPT,
        max_bytes=MAX_BYTES,
        timeout=settings.DOAP_FETCH_TIMEOUT,
        allow_networks=settings.DOAP_FETCH_ALLOW_NETWORKS,
        concurrency=concurrency,
    )
    for entry, result in zip(wanted, results, strict=True):
        counts[_store(entry.pk, entry.logo_url, result)] += 1
    return counts


def logos_to_fetch() -> list[Software]:
    """Entries whose logo URL is not the one their stored logo came from."""
    fields = ("pk", "logo_url", "logo_fetched_url")
    return [s for s in Software.objects.only(*fields) if s.logo_url != s.logo_fetched_url]
