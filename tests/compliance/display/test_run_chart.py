"""The chart of checks passed over time: accessible, text-labelled, placed by time, the same
bytes for the same points, escaped."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest

from compliance.display.run_chart import describe, render_run_chart
from tests.compliance.svg import SVG_NS

DAY = datetime(2024, 3, 1, 6, 0)
POINTS = [(DAY, 30, 52), (DAY + timedelta(days=1), 40, 52), (DAY + timedelta(days=10), 38, 54)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_it_names_itself_for_screen_readers():
    root = parse(render_run_chart(POINTS, title="Checks passed by example.org"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "run-chart-title run-chart-desc"
    assert root.find(f"{SVG_NS}title").text == "Checks passed by example.org"
    assert root.find(f"{SVG_NS}desc").text == (
        "3 runs, from 30 of 52 checks passed on 2024-03-01 06:00 UTC to 38 of 54 on "
        "2024-03-11 06:00 UTC; at most 40, at least 30."
    )
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "640",
        "220",
        "0 0 640 220",
    )


def test_its_axes_and_points_are_labelled_in_text():
    root = parse(render_run_chart(POINTS, title="t"))
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert texts[:4] == ["0", "54", "2024-03-01", "2024-03-11"]
    assert "solid: checks passed; dashed: checks run" in texts
    tooltips = [c.find(f"{SVG_NS}title").text for c in root.iter(f"{SVG_NS}circle")]
    assert tooltips == [
        "2024-03-01 06:00 UTC: 30 of 52 checks passed",
        "2024-03-02 06:00 UTC: 40 of 52 checks passed",
        "2024-03-11 06:00 UTC: 38 of 54 checks passed",
    ]


def test_points_are_placed_by_time_and_by_count():
    circles = list(parse(render_run_chart(POINTS, title="t")).iter(f"{SVG_NS}circle"))
    xs = [float(c.get("cx")) for c in circles]
    ys = [float(c.get("cy")) for c in circles]
    assert (xs[0], xs[-1]) == (44.0, 624.0)
    assert xs[1] - xs[0] == pytest.approx((xs[2] - xs[0]) / 10, abs=0.1)
    assert ys[1] < ys[2] < ys[0]  # more passed is higher


def test_one_run_is_drawn_in_the_middle_and_said_in_words():
    root = parse(render_run_chart(POINTS[:1], title="t"))
    [circle] = root.iter(f"{SVG_NS}circle")
    assert circle.get("cx") == "334.0"
    assert describe(POINTS[:1]) == "One run, on 2024-03-01 06:00 UTC: 30 of 52 checks passed."
    assert [t.text for t in root.iter(f"{SVG_NS}text")].count("2024-03-01") == 1


def test_it_is_deterministic_scriptless_and_escaped():
    svg = render_run_chart(POINTS, title="<b>&")
    assert svg == render_run_chart(list(POINTS), title="<b>&")
    assert "<script" not in svg
    assert "style=" not in svg  # the site's CSP allows no inline style
    assert not re.search(r" on\w+=", svg)
    assert parse(svg).find(f"{SVG_NS}title").text == "<b>&"
    assert render_run_chart([(DAY, 0, 0)], title="t")  # no checks: no division by zero
    with pytest.raises(ValueError, match="at least one run"):
        render_run_chart([], title="t")
