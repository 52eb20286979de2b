"""Badge drawing: well-formed SVG, escaped texts, widths, the shields endpoint format. Pure."""

import xml.etree.ElementTree as ET

from compliance.display.badge_svg import Badge, render_svg, shields_json, text_width
from tests.compliance.svg import SVG_NS, texts


def test_it_draws_a_well_formed_svg_with_both_sides():
    svg = render_svg(Badge("XMPP 2022 · IM · Advanced Server", "compliant", "compliant"))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("height") == "20"
    assert texts(svg) == ["XMPP 2022 · IM · Advanced Server"] * 2 + ["compliant"] * 2
    assert root.find(f"{SVG_NS}title").text == "XMPP 2022 · IM · Advanced Server: compliant"
    widths = [int(r.get("width")) for r in root.iter(f"{SVG_NS}rect")]
    assert widths[1] + widths[2] == int(root.get("width"))


def test_it_escapes_every_text():
    badge = Badge(
        '<script>alert("x")</script> & co', "</text><script>", "unknown", title='<script>"</script>'
    )
    svg = render_svg(badge)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG_NS}script"))
    assert texts(svg)[0] == '<script>alert("x")</script> & co'
    assert root.get("aria-label") == '<script>"</script>'


def test_widths_grow_with_text_and_never_underestimate_unknown_characters():
    assert text_width("compliant (partial)") > text_width("compliant")
    assert text_width("漢") == 11.0


def test_the_shields_json_has_the_endpoint_schema():
    data = shields_json(Badge("XMPP 2022 · Web · Client", "compliant (partial)", "partial"))
    assert data == {
        "schemaVersion": 1,
        "label": "XMPP 2022 · Web · Client",
        "message": "compliant (partial)",
        "color": "8a6d00",
    }


# -- over HTTP -------------------------------------------------------------------------------
