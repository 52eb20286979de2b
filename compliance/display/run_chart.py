"""The chart of a server's page: checks passed per finished run, over time. Pure SVG, no script.

Runs are placed by their time (a run a month later is drawn further away), the passes joined by
a line, the number of checks as a dashed line above. The SVG names itself (role="img", a
<title> and a <desc> read by screen readers), labels its axes in text, and gives each point a
<title> (its tooltip). Every number is formatted by Python's own formatting, so the same points
always draw the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36  # room for the axis labels
INK, MUTED, LINE, ACCENT = "#1b1f24", "#57606a", "#d0d7de", "#0b5cad"

Point = tuple[datetime, int, int]  # (when the run ended, checks passed, checks run)


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def _x(moment: datetime, first: datetime, last: datetime) -> float:
    span = (last - first).total_seconds()
    inner = WIDTH - LEFT - RIGHT
    if span <= 0:
        return LEFT + inner / 2
    return LEFT + inner * (moment - first).total_seconds() / span


def _y(value: int, top: int) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner * (1 - value / top) if top else TOP + inner


def _line(coordinates: list[tuple[float, float]], **attributes: str) -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
    extra = "".join(f" {name.replace('_', '-')}={quoteattr(v)}" for name, v in attributes.items())
    return f'<polyline points="{points}" fill="none"{extra}/>'


def _text(x: float, y: float, text: str, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{MUTED}">{escape(text)}</text>'
    )


def describe(points: Sequence[Point]) -> str:
    """The chart in one sentence, for who cannot see it."""
    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"One run, on {_when(first[0])} UTC: {first[1]} of {first[2]} checks passed."
    return (
        f"{len(points)} runs, from {first[1]} of {first[2]} checks passed on {_when(first[0])} "
        f"UTC to {last[1]} of {last[2]} on {_when(last[0])} UTC; at most "
        f"{max(p[1] for p in points)}, at least {min(p[1] for p in points)}."
    )


def render_run_chart(points: Sequence[Point], *, title: str, id_prefix: str = "run-chart") -> str:
    """The SVG of checks passed over time, for points in time order (at least one)."""
    if not points:
        raise ValueError("A chart needs at least one run.")
    first, last = points[0][0], points[-1][0]
    top = max(max(total for _, _, total in points), 1)
    passed = [(_x(when, first, last), _y(count, top)) for when, count, _ in points]
    totals = [(_x(when, first, last), _y(total, top)) for when, _, total in points]
    floor, left, right = HEIGHT - BOTTOM, LEFT, WIDTH - RIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="run-chart" role="img" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(describe(points))}</desc>',
        f'<line x1="{left}" y1="{floor}" x2="{right}" y2="{floor}" stroke="{LINE}"/>',
        f'<line x1="{left}" y1="{TOP}" x2="{right}" y2="{TOP}" stroke="{LINE}"/>',
        _text(left - 6, floor + 4, "0", "end"),
        _text(left - 6, TOP + 4, str(top), "end"),
        _text(left, HEIGHT - 8, f"{first:%Y-%m-%d}"),
    ]
    if last.date() != first.date():
        parts.append(_text(right, HEIGHT - 8, f"{last:%Y-%m-%d}", "end"))
    parts.append(_text(WIDTH / 2, HEIGHT - 8, "solid: checks passed; dashed: checks run", "middle"))
    parts.append(_line(totals, stroke=MUTED, stroke_dasharray="4 3"))
    parts.append(_line(passed, stroke=ACCENT, stroke_width="2"))
    for (x, y), (when, count, total) in zip(passed, points, strict=True):
        label = f"{_when(when)} UTC: {count} of {total} checks passed"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ACCENT}">'
            f"<title>{escape(label)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
