"""Badge drawing: a flat shields-style SVG and the shields.io endpoint JSON. Pure.

Text widths come from a table of DejaVu Sans at 11 px (measured in Chromium), the font the SVG
falls back to after Verdana, whose metrics it shares closely. Every text is XML-escaped and every
number is formatted by Python's own formatting, which does not depend on the locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Advance widths in px of DejaVu Sans at 11 px.
WIDTHS = {
    " ": 3.5,
    "!": 4.41,
    '"': 5.06,
    "#": 9.22,
    "$": 7.0,
    "%": 10.45,
    "&": 8.58,
    "'": 3.02,
    "(": 4.29,
    ")": 4.29,
    "*": 5.5,
    "+": 9.22,
    ",": 3.5,
    "-": 3.97,
    ".": 3.5,
    "/": 3.71,
    "0": 7.0,
    "1": 7.0,
    "2": 7.0,
    "3": 7.0,
    "4": 7.0,
    "5": 7.0,
    "6": 7.0,
    "7": 7.0,
    "8": 7.0,
    "9": 7.0,
    ":": 3.71,
    ";": 3.71,
    "<": 9.22,
    "=": 9.22,
    ">": 9.22,
    "?": 5.84,
    "@": 11.0,
    "A": 7.52,
    "B": 7.55,
    "C": 7.68,
    "D": 8.47,
    "E": 6.95,
    "F": 6.33,
    "G": 8.52,
    "H": 8.27,
    "I": 3.24,
    "J": 3.24,
    "K": 7.21,
    "L": 6.13,
    "M": 9.49,
    "N": 8.23,
    "O": 8.66,
    "P": 6.63,
    "Q": 8.66,
    "R": 7.64,
    "S": 6.98,
    "T": 6.72,
    "U": 8.05,
    "V": 7.52,
    "W": 10.88,
    "X": 7.54,
    "Y": 6.72,
    "Z": 7.54,
    "[": 4.29,
    "\\": 3.71,
    "]": 4.29,
    "^": 9.22,
    "_": 5.5,
    "`": 5.5,
    "a": 6.74,
    "b": 6.98,
    "c": 6.05,
    "d": 6.98,
    "e": 6.77,
    "f": 3.87,
    "g": 6.98,
    "h": 6.97,
    "i": 3.06,
    "j": 3.06,
    "k": 6.37,
    "l": 3.06,
    "m": 10.72,
    "n": 6.97,
    "o": 6.73,
    "p": 6.98,
    "q": 6.98,
    "r": 4.52,
    "s": 5.73,
    "t": 4.31,
    "u": 6.97,
    "v": 6.51,
    "w": 9.0,
    "x": 6.51,
    "y": 6.51,
    "z": 5.77,
    "{": 7.0,
    "|": 3.71,
    "}": 7.0,
    "~": 9.22,
    "·": 3.5,
}
WIDEST = 11.0  # for characters not in the table: never too narrow
PADDING = 6

COLORS = {
    "compliant": "#2e7d32",
    "partial": "#8a6d00",
    "not_compliant": "#c62828",
    "unknown": "#707070",
}

SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" \
aria-label={aria}><title>{title}</title>\
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>\
<stop offset="1" stop-opacity=".1"/></linearGradient>\
<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>\
<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>\
<rect x="{left}" width="{right}" height="20" fill="{color}"/>\
<rect width="{width}" height="20" fill="url(#s)"/></g>\
<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">\
<text x="{label_x}" y="15" fill="#010101" fill-opacity=".3">{label}</text>\
<text x="{label_x}" y="14">{label}</text>\
<text x="{message_x}" y="15" fill="#010101" fill-opacity=".3">{message}</text>\
<text x="{message_x}" y="14">{message}</text></g></svg>
"""


@dataclass(frozen=True)
class Badge:
    label: str
    message: str
    state: str  # a key of COLORS
    title: str = ""  # the longer text for the tooltip and screen readers

    @property
    def color(self) -> str:
        return COLORS[self.state]


def text_width(text: str) -> float:
    return sum(WIDTHS.get(char, WIDEST) for char in text)


def render_svg(badge: Badge) -> str:
    left = round(text_width(badge.label)) + 2 * PADDING
    right = round(text_width(badge.message)) + 2 * PADDING
    title = badge.title or f"{badge.label}: {badge.message}"
    return SVG.format(
        width=left + right,
        left=left,
        right=right,
        color=badge.color,
        label_x=f"{left / 2:.1f}",
        message_x=f"{left + right / 2:.1f}",
        label=escape(badge.label),
        message=escape(badge.message),
        title=escape(title),
        aria=quoteattr(title),
    )


def shields_json(badge: Badge) -> dict:
    """The shields.io endpoint schema (https://shields.io/badges/endpoint-badge)."""
    return {
        "schemaVersion": 1,
        "label": badge.label,
        "message": badge.message,
        "color": badge.color.lstrip("#"),
    }
