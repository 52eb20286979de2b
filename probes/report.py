"""A probe's report: outcomes per check and per spec, verdicts per year, JSON and text.

Verdicts come from the compliance core's engine (pure, no Django), with the probe's outcomes as
the claims: a spec whose outcome is `pass` counts as claim status `complete`, anything else does
not, and the software is judged as a server (`Profile("server")`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from probes.outcomes import ERROR, Outcome, best, worst

SYMBOLS = {"pass": "PASS", "fail": "FAIL", "could_not_test": "N/T ", "error": "ERR "}


def check_outcomes(outcomes: list[Outcome]) -> dict[str, str]:
    """One outcome per check: the best over its entities (one working component suffices)."""
    by_check: dict[str, list[str]] = {}
    for outcome in outcomes:
        by_check.setdefault(outcome.check, []).append(outcome.outcome)
    return {check: best(found) for check, found in by_check.items()}


def spec_outcomes(outcomes: list[Outcome]) -> dict[str, str]:
    """One outcome per spec: the worst of its checks."""
    per_check = check_outcomes(outcomes)
    by_spec: dict[str, list[str]] = {}
    for outcome in outcomes:
        for spec in outcome.specs:
            by_spec.setdefault(spec, []).append(per_check[outcome.check])
    return {spec: worst(found) for spec, found in sorted(by_spec.items())}


@dataclass
class Report:
    """What one probe run found, and what it adds up to per spec and per suite."""

    domain: str
    account: str | None
    software: dict[str, str | None]
    reachable: bool
    outcomes: list[Outcome]
    duration_s: float
    cleanup: list[str] = field(default_factory=list)

    @property
    def specs(self) -> dict[str, str]:
        return spec_outcomes(self.outcomes)

    def verdicts(self) -> dict:
        # The suites (YAML, ~50 ms to read) are loaded when a report is judged, after the run,
        # not when the command line starts: its first connection does not wait for them.
        from suites.catalogue import suites
        from suites.engine import COMPLETE, Profile, evaluate_suites, verdicts_as_dict

        statuses = {spec: COMPLETE for spec, outcome in self.specs.items() if outcome == "pass"}
        return verdicts_as_dict(evaluate_suites(suites().values(), statuses, Profile("server")))

    def as_dict(self, *, evidence: bool = True) -> dict:
        return {
            "domain": self.domain,
            "account": self.account,
            "software": self.software,
            "reachable": self.reachable,
            "checks": [o.as_dict(evidence=evidence) for o in self.outcomes],
            "specs": self.specs,
            "verdicts": self.verdicts(),
            "cleanup": self.cleanup,
            "duration_s": round(self.duration_s, 3),
        }

    def as_text(self) -> str:
        name = self.software.get("name")
        software = f"{name} {self.software.get('version') or ''}".strip() if name else "unknown"
        lines = [
            f"Probe of {self.domain} (software: {software}; account: {self.account or 'none'})",
            f"{len(self.outcomes)} results in {self.duration_s:.2f} s",
            "",
        ]
        width = max((len(o.check) for o in self.outcomes), default=10)
        for o in self.outcomes:
            kind = f" [{o.error_kind}]" if o.outcome == ERROR else ""
            info = " (informational)" if o.informational else ""
            lines.append(f"{SYMBOLS[o.outcome]}  {o.check:<{width}}  {o.entity}{info}")
            lines.append(f"      {o.detail}{kind}")
        lines += ["", "Specs: " + ", ".join(f"{s} {o}" for s, o in self.specs.items()), ""]
        lines += verdict_lines(self.verdicts())
        if self.specs.get("XEP-0114") != "pass":
            lines.append(
                "  (XEP-0114, Server Extensibility, cannot be probed: only a claim can cover it.)"
            )
        if self.cleanup:
            lines += ["", "Cleanup at the end of the run:", *(f"  {n}" for n in self.cleanup)]
        return "\n".join(lines)


def verdict_lines(verdicts: dict) -> list[str]:
    """A year × category grid (Server / Advanced Server), then what the latest year misses."""
    from suites.catalogue import CATEGORY_NAMES, LEVEL_NAMES  # see Report.verdicts

    categories = [c for c in CATEGORY_NAMES if any(c in v for v in verdicts.values())]
    lines = [
        "Verdicts, Server / Advanced Server (yes = compliant):",
        "      " + "".join(f"{CATEGORY_NAMES[c]:<14}" for c in categories),
    ]
    for year, by_category in verdicts.items():
        cells = []
        for category in categories:
            levels = by_category.get(category)
            cells.append(
                "n/a"
                if levels is None
                else " / ".join("yes" if levels[level]["compliant"] else "no" for level in levels)
            )
        lines.append(f"{year}  " + "".join(f"{cell:<14}" for cell in cells))
    latest = max(verdicts, default=None)
    if latest is not None:
        lines.append(f"Missing in {latest}:")
        for category, levels in verdicts[latest].items():
            for level, verdict in levels.items():
                if not verdict["compliant"]:
                    label = f"{CATEGORY_NAMES[category]} {LEVEL_NAMES[level]}"
                    lines.append(f"  {label}: {', '.join(verdict['missing'])}")
    return lines
