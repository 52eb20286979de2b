"""Outcomes per check and per spec, verdicts from the compliance engine, and the report shapes."""

from __future__ import annotations

from probes.outcomes import Outcome
from probes.report import Report, check_outcomes, spec_outcomes


def outcome(check, spec, result, entity="example.org", kind=None) -> Outcome:
    return Outcome(check, (spec,), result, entity, "detail", error_kind=kind)


def test_it_takes_the_best_component_then_the_worst_check():
    outcomes = [
        outcome("xep0045-muc", "XEP-0045", "fail", "broken.example.org"),
        outcome("xep0045-muc", "XEP-0045", "pass", "muc.example.org"),
        outcome("xep0313-mam", "XEP-0313", "pass"),
        outcome("xep0313-mam-muc", "XEP-0313", "could_not_test"),
        outcome("rfc6120-stream", "RFC 6120", "pass"),
        outcome("rfc6120-sasl", "RFC 6120", "error", kind="network"),
        outcome("rfc6120-bind", "RFC 6120", "fail"),
    ]
    assert check_outcomes(outcomes)["xep0045-muc"] == "pass"
    assert spec_outcomes(outcomes) == {
        "RFC 6120": "fail",  # a definite fail outweighs an error
        "XEP-0045": "pass",
        "XEP-0313": "could_not_test",
    }


def test_it_counts_only_passed_specs_as_complete_claims():
    passing = ["RFC 6120", "RFC 7590", "XEP-0030"]
    outcomes = [outcome(f"c{i}", spec, "pass") for i, spec in enumerate(passing)]
    outcomes.append(outcome("xep0114-component", "XEP-0114", "could_not_test"))
    report = Report("example.org", None, {"name": None, "version": None}, True, outcomes, 1.0)
    core = report.verdicts()["2023"]["core"]["server"]
    assert core == {
        "compliant": False,
        "missing": ["Server Extensibility"],
        "relies_on_partial": [],
    }
    outcomes[-1] = outcome("xep0114-component", "XEP-0114", "pass")
    assert report.verdicts()["2023"]["core"]["server"]["compliant"] is True


def test_it_reports_the_documented_json_shape():
    report = Report(
        "example.org",
        "t@example.org",
        {"name": "Prosody", "version": "0.12.3"},
        True,
        [outcome("xep0280-carbons", "XEP-0280", "pass")],
        0.5,
    )
    data = report.as_dict()
    assert list(data) == [
        "domain",
        "account",
        "software",
        "reachable",
        "checks",
        "specs",
        "verdicts",
        "cleanup",
        "duration_s",
    ]
    assert data["checks"][0] == {
        "id": "xep0280-carbons",
        "specs": ["XEP-0280"],
        "outcome": "pass",
        "entity": "example.org",
        "detail": "detail",
        "error_kind": None,
        "informational": False,
        "duration_s": 0.0,
        "evidence": [],
    }
    assert data["specs"] == {"XEP-0280": "pass"}
    assert set(data["verdicts"]) == {"2019", "2020", "2021", "2022", "2023"}
    assert set(data["verdicts"]["2022"]["im"]) == {"server", "advanced_server"}
    assert "PASS  xep0280-carbons" in report.as_text()
    assert "Missing in 2023:" in report.as_text()
