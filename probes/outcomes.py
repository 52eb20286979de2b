"""What a check yields: an outcome, the entity it queried, one line of explanation and evidence.

Outcomes: `pass`, `fail` (the server answered and the answer does not meet the spec),
`could_not_test` (with the reason: no account, no room-creation right, a policy refusal...) and
`error` (the probe could not get an answer: `network`, `timeout` or `protocol`, or `internal` for a
bug in the probe itself). A network hiccup is never a `fail`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

PASS = "pass"
FAIL = "fail"
COULD_NOT_TEST = "could_not_test"
ERROR = "error"
OUTCOMES = (PASS, FAIL, COULD_NOT_TEST, ERROR)

NETWORK = "network"
TIMEOUT = "timeout"
PROTOCOL = "protocol"
INTERNAL = "internal"
ERROR_KINDS = (NETWORK, TIMEOUT, PROTOCOL, INTERNAL)

# A spec is as good as its worst check: a definite fail outweighs an error, which outweighs a
# could-not-test. Across the components of one check the best counts: one working MUC service is
# enough for the server to offer MUC.
_WORST_FIRST = (FAIL, ERROR, COULD_NOT_TEST, PASS)
_BEST_FIRST = (PASS, COULD_NOT_TEST, ERROR, FAIL)


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: an XML exchange, an HTTP exchange, a DNS answer, TLS facts, a note."""

    kind: str  # "sent", "received", "http", "dns", "tls" or "note"
    text: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class Outcome:
    """One check's result for one entity (see the module docstring)."""

    check: str
    specs: tuple[str, ...]
    outcome: str
    entity: str
    detail: str
    error_kind: str | None = None
    evidence: tuple[Evidence, ...] = field(default=(), repr=False)
    informational: bool = False
    duration_s: float = 0.0

    def __post_init__(self) -> None:
        assert self.outcome in OUTCOMES, self.outcome
        assert (self.outcome == ERROR) == (self.error_kind is not None), self
        assert self.error_kind is None or self.error_kind in ERROR_KINDS

    def as_dict(self, *, evidence: bool = True) -> dict:
        data = {
            "id": self.check,
            "specs": list(self.specs),
            "outcome": self.outcome,
            "entity": self.entity,
            "detail": self.detail,
            "error_kind": self.error_kind,
            "informational": self.informational,
            "duration_s": round(self.duration_s, 3),
        }
        if evidence:
            data["evidence"] = [item.as_dict() for item in self.evidence]
        return data


def worst(outcomes: Iterable[str]) -> str:
    found = set(outcomes)
    return next(o for o in _WORST_FIRST if o in found)


def best(outcomes: Iterable[str]) -> str:
    found = set(outcomes)
    return next(o for o in _BEST_FIRST if o in found)
