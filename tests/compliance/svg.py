"""Reading badges in tests."""

import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    """Every text of an SVG badge, in document order."""
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG_NS}text")]
