"""Claimed vs verified: what the probe of a server entry's reference deployment says of its claims.

A server entry's maintainers may name a server they own as its reference deployment
(Software.reference_server). Its latest finished run (state done) of the last 30 days is the
evidence; nothing else is. Each claim of the entry is then, in these distinct words:

- "probe-verified": the claim says complete or partial and the spec passed in that run;
- "contradicted": the claim says complete or partial and the spec failed there;
- "not probed": there is no reference server, no run of it in the last 30 days, the spec is not
  probeable (no check names it, or its check can never test it, as XEP-0114's), or the run could
  not test it (could-not-test, an error, or no check of it ran), with the reason in words.

Only a claim of support (the claim that counts for its spec, complete or partial, and not only
since a version newer than the current one) is labelled: a claim of planned, deprecated, removed,
wontfix, no status or a future version claims nothing the probe could confirm or contradict, so
it gets no label at all (None), never one of the three words.

A verdict is "verified" when it is compliant, relies on at least one probeable spec, and every
probeable spec its met features rely on (FeatureResult.supported, partial ones included) passed
in the run; "self-assessed" otherwise, with the relied-on specs the run contradicts. The probe
judges servers: clients' and libraries' verdicts are always self-assessed and their claims get
no label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from uuid import UUID

from compliance.entries import write_entry
from compliance.history import Actor
from compliance.models import CheckResult, Claim, ProbedServer, ProbeRun, ServerOwner, Software
from suites.engine import MET, UNSUPPORTED, Verdict, support_of
from suites.statuses import self_assessed_statuses

EVIDENCE_DAYS = 30

VERIFIED_CLAIM = "probe-verified"
CONTRADICTED = "contradicted"
NOT_PROBED = "not probed"
VERIFIED = "verified"
SELF_ASSESSED = "self-assessed"

NO_REFERENCE = "no reference server"
NO_RECENT_RUN = f"no run in the last {EVIDENCE_DAYS} days"
NOT_PROBEABLE = "not probeable by the probe"
COULD_NOT_TEST = "could not be tested there"

# Specs a check names but can never test: their check always says could-not-test
# (probes/checks/xep0114_component.py: the component protocol is not reachable from outside).
NEVER_PROBED = frozenset({"XEP-0114"})


@cache
def probeable_specs() -> frozenset[str]:
    """Every spec some registered check names, but those no check can ever test."""
    from probes.checks import CHECKS  # the registry, when first asked (not at import)

    return frozenset(spec for check in CHECKS for spec in check.specs) - NEVER_PROBED


def judged_by_probe(software: Software) -> bool:
    """The probe judges servers: only a server entry's claims and verdicts can be verified."""
    return software.role == Software.SERVER


def evidence_run(software: Software, now: datetime) -> ProbeRun | None:
    """The latest done run of the entry's reference server finished in the last 30 days, with
    its server; None without one (or for an entry the probe does not judge). One query."""
    if not software.reference_server_id or not judged_by_probe(software):
        return None
    runs = ProbeRun.objects.filter(
        server_id=software.reference_server_id,
        state=ProbeRun.DONE,
        finished_at__gte=now - timedelta(days=EVIDENCE_DAYS),
    )
    fields = ("key", "state", "finished_at", "specs", "server__domain")
    return runs.select_related("server").only(*fields).order_by("-finished_at", "-pk").first()


def evidence_runs(software: Iterable[Software], now: datetime) -> dict[int, ProbeRun]:
    """evidence_run for many entries at once: reference server id -> its run, in one query (none
    when no entry the probe judges names a reference server)."""
    servers = {
        s.reference_server_id for s in software if s.reference_server_id and judged_by_probe(s)
    }
    if not servers:
        return {}
    runs = ProbeRun.objects.filter(
        server_id__in=servers,
        state=ProbeRun.DONE,
        finished_at__gte=now - timedelta(days=EVIDENCE_DAYS),
    )
    fields = ("key", "state", "finished_at", "specs", "server_id", "server__domain")
    found: dict[int, ProbeRun] = {}
    for run in runs.select_related("server").only(*fields).order_by("-finished_at", "-pk"):
        found.setdefault(run.server_id, run)
    return found


@dataclass(frozen=True)
class ClaimLabel:
    """What the probe says of one claimed spec: a label, and the run it comes from (if any)."""

    spec: str
    label: str  # VERIFIED_CLAIM, CONTRADICTED or NOT_PROBED
    reason: str = ""  # why not probed, in words
    run_key: UUID | None = None  # the run page: reverse("probe-run", args=[run_key])
    run_date: datetime | None = None
    domain: str = ""

    @property
    def css(self) -> str:
        return self.label.replace(" ", "-")


def claimed_support(claims: Iterable[Claim], current_version: str = "") -> dict[str, str]:
    """spec -> complete or partial, for each spec whose counting claim says it is supported in
    the current version (the claims the probe can confirm or contradict)."""
    inputs = [(c.spec, c.status, c.source, c.since_version) for c in claims]
    statuses = self_assessed_statuses(inputs, current_version)
    return {
        spec: support
        for spec, status in statuses.items()
        if (support := support_of(status)) != UNSUPPORTED
    }


def untested_details(run: ProbeRun, specs: Iterable[str]) -> dict[str, str]:
    """spec -> the explanation of the checks that could not test it in the run (one query)."""
    wanted = {spec for spec in specs if run.specs.get(spec) in ("could_not_test", "error")}
    if not wanted:
        return {}
    found: dict[str, list[str]] = {}
    results = CheckResult.objects.filter(run=run, outcome__in=("could_not_test", "error"))
    for names, outcome, detail in results.values_list("specs", "outcome", "detail"):
        for spec in wanted.intersection(names):
            if outcome == run.specs[spec] and detail not in found.setdefault(spec, []):
                found[spec].append(detail)
    return {spec: " ".join(details[:2]) for spec, details in found.items()}


def claim_label(
    spec: str, run: ProbeRun | None, has_reference: bool, details: Mapping[str, str]
) -> ClaimLabel:
    """The label of one claim of support."""
    if run is None:
        return ClaimLabel(spec, NOT_PROBED, NO_REFERENCE if not has_reference else NO_RECENT_RUN)
    at = {"run_key": run.key, "run_date": run.finished_at, "domain": run.server.domain}
    if spec not in probeable_specs():
        return ClaimLabel(spec, NOT_PROBED, NOT_PROBEABLE)
    outcome = run.specs.get(spec)
    if outcome == "pass":
        return ClaimLabel(spec, VERIFIED_CLAIM, **at)
    if outcome == "fail":
        return ClaimLabel(spec, CONTRADICTED, **at)
    detail = details.get(spec) or (
        "the probe met an error" if outcome == "error" else "no check of it ran"
    )
    return ClaimLabel(spec, NOT_PROBED, f"{COULD_NOT_TEST}: {detail}", **at)


def claim_labels(
    claims: Iterable[Claim],
    run: ProbeRun | None,
    *,
    has_reference: bool = True,
    current_version: str = "",
) -> dict[str, ClaimLabel]:
    """spec -> its label, for each claim of support (see the module docstring; other claims
    get none). `has_reference` says, without a run, whether that is for want of a reference
    server or of a recent run of it. At most one query (the could-not-test explanations)."""
    supported = claimed_support(claims, current_version)
    details = untested_details(run, supported) if run is not None else {}
    return {spec: claim_label(spec, run, has_reference, details) for spec in supported}


def labels_for(software: Software, claims: Iterable[Claim], run: ProbeRun | None):
    """claim_labels for an entry, or {} for one the probe does not judge."""
    if not judged_by_probe(software):
        return {}
    return claim_labels(
        claims,
        run,
        has_reference=bool(software.reference_server_id),
        current_version=software.current_version,
    )


@dataclass(frozen=True)
class VerdictLabel:
    """Whether a verdict rests on the probe: VERIFIED or SELF_ASSESSED, and what it contradicts."""

    label: str
    contradicted: tuple[str, ...] = ()
    domain: str = ""
    run_date: datetime | None = None

    @property
    def verified(self) -> bool:
        return self.label == VERIFIED

    def basis_words(self) -> str:
        """'verified by the probe of example.org on 2025-01-02' or 'self-assessed'."""
        if self.verified:
            return f"{VERIFIED} by the probe of {self.domain} on {self.run_date:%Y-%m-%d}"
        return SELF_ASSESSED

    def contradiction_words(self) -> str:
        """'; contradicted by the probe of example.org: XEP-0313', or ''."""
        if not self.contradicted:
            return ""
        return f"; contradicted by the probe of {self.domain}: {', '.join(self.contradicted)}"


def relied_specs(verdict: Verdict) -> set[str]:
    """The probeable providers a verdict's met features rely on."""
    probeable = probeable_specs()
    return {
        spec
        for result in verdict.results
        if result.state == MET
        for spec in result.supported
        if spec in probeable
    }


def verdict_label(verdict: Verdict, run: ProbeRun | None) -> VerdictLabel:
    """VERIFIED when the verdict is a server's, compliant, and every probeable spec it relies on
    (at least one) passed in the run; SELF_ASSESSED otherwise, with the contradicted ones."""
    if run is None or verdict.role != Software.SERVER:
        return VerdictLabel(SELF_ASSESSED)
    relied = relied_specs(verdict)
    outcomes = {spec: run.specs.get(spec) for spec in relied}
    contradicted = tuple(sorted(spec for spec, outcome in outcomes.items() if outcome == "fail"))
    at = {"domain": run.server.domain, "run_date": run.finished_at}
    if verdict.compliant and relied and all(o == "pass" for o in outcomes.values()):
        return VerdictLabel(VERIFIED, **at)
    return VerdictLabel(SELF_ASSESSED, contradicted, **at)


def summary_label(
    reached: Iterable[Verdict], verdicts: Iterable[Verdict], run: ProbeRun | None
) -> VerdictLabel:
    """One label for an entry's summary: verified when each verdict of the levels reached is
    (and there is one); the specs contradicted among what any of its verdicts relies on."""
    labels = [verdict_label(verdict, run) for verdict in reached]
    if run is None:
        return VerdictLabel(SELF_ASSESSED)
    contradicted = {spec for v in verdicts for spec in verdict_label(v, run).contradicted}
    at = {"domain": run.server.domain, "run_date": run.finished_at}
    label = VERIFIED if labels and all(label.verified for label in labels) else SELF_ASSESSED
    return VerdictLabel(label, tuple(sorted(contradicted)), **at)


# Choosing the reference deployment: a maintainer of the entry who owns the server.


def owned_servers(user) -> list[ProbedServer]:
    """The servers the user proved they run, by domain."""
    if not user.is_authenticated:
        return []
    owned = ServerOwner.objects.filter(user=user).values("server_id")
    return list(ProbedServer.objects.filter(pk__in=owned).order_by("domain"))


def set_reference_server(software: Software, server: ProbedServer | None, *, actor: Actor):
    """Name (or, with None, clear) the entry's reference deployment, through the entry's write
    path (audited). The caller decided the actor maintains the entry and owns the server."""
    return write_entry(software, actor=actor, reference_server=server)
