"""Probed servers in the API: `servers/` (each with its latest finished run's verdicts) and
`servers/{domain}/` (its latest verdicts and results, each check's outcome since when and where
it last differed, its runs newest first), read through compliance/pages/servers.py as the
server pages are. Evidence of a run with a test account only where
compliance/probing/ownership.py allows it; a run's password is never read."""

from __future__ import annotations

from django.urls import reverse as site_reverse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.serializers import VerdictSerializer, cells
from api.views import query
from compliance.models import ProbeRun
from compliance.pages import servers as pages
from compliance.pages.probe_run import OUTCOME_WORDS, ResultLine, as_outcome
from compliance.probing.ownership import can_see_evidence
from compliance.views.servers import canonical_or_404
from suites.address import level_slug, resolve

OUTCOMES = list(OUTCOME_WORDS)  # pass, fail, could_not_test, error
NOT_RUN = "not_run"  # a check without a result in a run
OUTCOME_OF_WORDS = {words: outcome for outcome, words in OUTCOME_WORDS.items()}
OUTCOME_OF_WORDS[pages.NOT_RUN] = NOT_RUN
SERVER_LEVELS = [level_slug(level) for level in pages.LEVELS]  # server, advanced-server


# What the responses are (the schema, and the shape every response is serialized through) --


class RunSoftwareSerializer(serializers.Serializer):
    name = serializers.CharField(allow_null=True)
    version = serializers.CharField(allow_null=True)


class ServerSoftwareSerializer(RunSoftwareSerializer):
    """The software the latest finished run read from the server, and the server entry of
    that name (compared without case), if any."""

    slug = serializers.CharField(allow_null=True)
    url = serializers.URLField(allow_null=True)


class RunSerializer(serializers.Serializer):
    """A run of the server; `url` reads it whole (probe-runs/{id}/)."""

    id = serializers.UUIDField()
    url = serializers.URLField()
    state = serializers.ChoiceField([state for state, _ in ProbeRun.STATES])
    scheduled = serializers.BooleanField(help_text="A daily re-probe by an owner of the server.")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    passed = serializers.IntegerField(help_text="Checks passed (counted when the run is done).")
    total = serializers.IntegerField(help_text="Checks of the run.")
    error = serializers.CharField(help_text="Why the run failed, in words ('' otherwise).")
    software = RunSoftwareSerializer()
    with_account = serializers.BooleanField(help_text="Whether it ran with a test account.")


class ServerSummarySerializer(serializers.Serializer):
    domain = serializers.CharField(help_text="The IDNA (A-label) form.")
    url = serializers.URLField()
    page = serializers.URLField(help_text="The server's page on the site.")
    latest_run = RunSerializer(allow_null=True, help_text="The newest finished (done) run.")
    software = ServerSoftwareSerializer(allow_null=True)
    verdicts = serializers.DictField(
        child=serializers.DictField(child=serializers.DictField(child=VerdictSerializer())),
        allow_null=True,
        help_text="The latest finished run's, as `manage.py probe --json` gives them: year -> "
        "category -> server or advanced_server -> verdict; null without a finished run",
    )


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()


class HintSerializer(serializers.Serializer):
    """How to fix a failed check on the software and version the server said it runs."""

    software = serializers.CharField()
    versions = serializers.CharField()
    for_recent_versions = serializers.BooleanField(
        help_text="The server's version was unknown: the hint for recent versions."
    )
    text = serializers.CharField()
    config = serializers.ListField(child=serializers.CharField())
    source = serializers.URLField()


class ResultSerializer(serializers.Serializer):
    """One check's result in the latest run, as in `manage.py probe --json`, with its title and
    a hint where it did not pass."""

    id = serializers.CharField()
    title = serializers.CharField()
    specs = serializers.ListField(child=serializers.CharField())
    outcome = serializers.ChoiceField(OUTCOMES)
    entity = serializers.CharField()
    detail = serializers.CharField()
    error_kind = serializers.CharField(allow_null=True)
    informational = serializers.BooleanField()
    duration_s = serializers.FloatField()
    evidence = EvidenceSerializer(
        many=True,
        required=False,
        help_text="Only where `evidence_shown`: a run with a test account shows it only to "
        "whoever asked for the run and the server's owners.",
    )
    hint = HintSerializer(allow_null=True)


class RunRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField()
    created_at = serializers.DateTimeField()


class ChangedRunSerializer(RunRefSerializer):
    was = serializers.ChoiceField([*OUTCOMES, NOT_RUN], help_text="The outcome in that run.")


class CheckHistorySerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    outcome = serializers.ChoiceField(OUTCOMES, help_text="In the latest finished run.")
    since = RunRefSerializer(help_text="The first run of the outcome's unbroken streak.")
    runs_since = serializers.IntegerField(help_text="Finished runs in that streak.")
    last_changed = ChangedRunSerializer(
        allow_null=True, help_text="The newest run where it differed; null: never."
    )


class ServerSerializer(ServerSummarySerializer):
    evidence_shown = serializers.BooleanField(
        help_text="Whether `results` carry their evidence for whoever asks."
    )
    results = ResultSerializer(many=True, help_text="The latest finished run's, in its order.")
    checks = CheckHistorySerializer(many=True, help_text="Each check of the latest finished run.")
    runs = RunSerializer(
        many=True, help_text=f"Every state, newest first (the newest {pages.HISTORY_LIMIT})."
    )


class ServerQuery(serializers.Serializer):
    compliant = serializers.ChoiceField(
        [cell for cell in cells() if cell.rsplit("/", 1)[1] in SERVER_LEVELS],
        required=False,
        allow_blank=True,
        help_text="YEAR/CATEGORY/LEVEL of a server level, e.g. 2023/im/server: the servers whose "
        "latest finished run met it",
    )

    def validate_compliant(self, value: str):
        if not value:
            return None
        year, category, level = value.split("/")
        suite, category, level = resolve(int(year), category, level)
        return suite.year, category, level


# The readings --------------------------------------------------------------------------------


def run_url(request, key) -> str:
    return reverse("api-probe-run", args=[key], request=request)


def run_reading(request, run: ProbeRun) -> dict:
    return {
        "id": run.key,
        "url": run_url(request, run.key),
        "state": run.state,
        "scheduled": run.scheduled,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "passed": run.passed_checks,
        "total": run.total_checks,
        "error": run.error,
        "software": {"name": run.software_name or None, "version": run.software_version or None},
        "with_account": bool(run.jid),
    }


def summary_reading(request, domain: str, run: ProbeRun | None, software_slug: str) -> dict:
    """A server's links, its latest finished run and what that run read and judged."""
    software = None
    if run is not None:
        software = {
            "name": run.software_name or None,
            "version": run.software_version or None,
            "slug": software_slug or None,
            "url": reverse("api-software-detail", args=[software_slug], request=request)
            if software_slug
            else None,
        }
    return {
        "domain": domain,
        "url": reverse("api-server", args=[domain], request=request),
        "page": request.build_absolute_uri(site_reverse("server-detail", args=[domain])),
        "latest_run": run_reading(request, run) if run else None,
        "software": software,
        "verdicts": run.verdicts if run else None,
    }


def hint_reading(hint) -> dict | None:
    if hint is None:
        return None
    return {
        "software": hint.software,
        "versions": hint.versions,
        "for_recent_versions": hint.for_recent_versions,
        "text": hint.text,
        "config": list(hint.config),
        "source": hint.source,
    }


def result_reading(line: ResultLine, evidence: bool) -> dict:
    """A result as `manage.py probe --json` gives it (evidence only where it may be seen)."""
    result = as_outcome(line.result).as_dict(evidence=evidence)
    return {**result, "title": line.title, "hint": hint_reading(line.hint)}


def history_reading(request, check: pages.CheckHistory) -> dict:
    def ref(run: pages.RunRef) -> dict:
        return {"id": run.key, "url": run_url(request, run.key), "created_at": run.created_at}

    changed = check.last_changed
    return {
        "id": check.check_id,
        "title": check.title,
        "outcome": check.outcome,
        "since": ref(check.since),
        "runs_since": check.runs_since,
        "last_changed": changed and {**ref(changed), "was": OUTCOME_OF_WORDS[check.previous_words]},
    }


def server_reading(request, page: pages.ServerPage) -> dict:
    latest = page.latest
    evidence = latest is not None and can_see_evidence(latest, request.user, request.session)
    return {
        **summary_reading(request, page.server.domain, latest, page.software_slug),
        "evidence_shown": evidence,
        "results": [result_reading(line, evidence) for line in page.results],
        "checks": [history_reading(request, check) for check in page.checks],
        "runs": [run_reading(request, run) for run in page.runs],
    }


# The views -----------------------------------------------------------------------------------


@extend_schema(parameters=[ServerQuery])
class ServerList(generics.ListAPIView):
    """Every probed server, by domain, with its latest finished run and that run's verdicts
    (`?compliant=2023/im/server`: those whose latest run met a cell)."""

    serializer_class = ServerSummarySerializer

    def get_queryset(self):
        compliant = query(ServerQuery, self.request).get("compliant")
        rows = pages.server_list()
        return pages.rows_compliant_with(rows, *compliant) if compliant else rows

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(self.get_queryset())
        readings = [summary_reading(request, r.domain, r.run, r.software_slug) for r in rows]
        return self.get_paginated_response(ServerSummarySerializer(readings, many=True).data)


class ServerDetail(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "domain",
                str,
                OpenApiParameter.PATH,
                description="The server's domain, in its IDNA (A-label) form.",
                examples=[OpenApiExample("a domain", value="example.org")],
            )
        ],
        responses={
            200: ServerSerializer,
            301: OpenApiResponse(
                description="The same server at its domain's A-label form (`Location`)."
            ),
        },
    )
    def get(self, request, domain: str):
        """A probed server: its latest finished run's verdicts and results (evidence of a run
        with a test account only for who asked for it and the server's owners), each check's
        outcome since when and where it last differed, and its runs, newest first."""
        server = pages.find_server(domain)
        if server is None:
            return canonical_or_404(domain, "api-server")  # a redirect, or Http404 (a problem)
        return Response(ServerSerializer(server_reading(request, pages.server_page(server))).data)
