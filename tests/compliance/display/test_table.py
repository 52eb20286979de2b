"""The comparison rows as plain data: no database."""

from datetime import UTC, datetime

from compliance.display.table import build_rows, column_groups
from suites import catalogue
from suites.engine import Profile

CORE = {
    "RFC 6120": "complete",
    "RFC 7590": "complete",
    "XEP-0030": "complete",
    "XEP-0115": "complete",
}


class Entry:
    def __init__(self, name, statuses, role="client", terminal=False, day=1, listed=None):
        self.name, self.statuses, self.role = name, statuses, role
        self.listed = listed or {}
        self.has_data = bool(statuses or self.listed)
        self.profile = Profile(role, terminal, False)
        self.updated_at = datetime(2026, 1, day, tzinfo=UTC)


def test_columns_are_the_required_rows_core_first():
    groups = column_groups(catalogue.suite(2022), "web", "client")
    assert [(g.category, [f.name for f in g.features]) for g in groups] == [
        ("core", ["Core features", "TLS", "Feature discovery", "Feature broadcasts"]),
        ("web", ["Web Connection Mechanisms", "Connection Mechanism Discovery"]),
    ]


def test_rows_carry_verdicts_and_cells_in_column_order():
    suite = catalogue.suite(2022)
    web = {**CORE, "RFC 7395": "complete", "XEP-0156": "partial"}
    rows = build_rows(suite, "web", "client", [Entry("B", CORE), Entry("A", web)])
    assert [row.software.name for row in rows] == ["A", "B"]
    assert [state for state, *_ in rows[0].cells] == ["supported"] * 5 + ["partial"]
    assert rows[0].state == "partial"
    assert rows[1].state == "not_compliant"
    assert [state for state, *_ in rows[1].cells][-2:] == ["missing", "missing"]


def test_cells_say_why_a_listed_spec_does_not_count_and_no_data_is_not_a_failure():
    suite = catalogue.suite(2022)
    listed = {"RFC 7395": "unstated", "XEP-0156": "deprecated"}
    empty, unstated = build_rows(
        suite, "web", "client", [Entry("A", {}), Entry("B", CORE, listed=listed)]
    )
    assert empty.state == "no_data"
    assert empty.missing_count is None
    assert {state for state, *_ in empty.cells} == {"no_data"}
    assert unstated.state == "not_compliant"
    assert unstated.missing_count == 2
    web = [(state, word, detail) for state, _, word, detail, _ in unstated.cells][-2:]
    assert web == [
        (
            "unstated",
            "no status",
            "RFC 7395 listed without a status (not counted); XEP-0206 not listed",
        ),
        ("deprecated", "deprecated", "lacking XEP-0156"),
    ]


def test_filters_and_sorts():
    suite = catalogue.suite(2022)
    entries = [Entry("Old", CORE, day=1), Entry("New", {}, day=9), Entry("Mid", CORE, day=5)]
    compliant = build_rows(suite, "core", "client", entries, compliant_only=True)
    assert [row.software.name for row in compliant] == ["Mid", "Old"]
    by_update = build_rows(suite, "core", "client", entries, sort="updated")
    assert [row.software.name for row in by_update] == ["New", "Mid", "Old"]
    by_missing = build_rows(suite, "core", "client", entries, sort="missing")
    assert [row.software.name for row in by_missing] == ["Mid", "Old", "New"]
