"""The probe service in the API: `POST probe-runs/` queues a run (the form's submission path,
its limits and refusals), `GET probe-runs/{id}/` reads it as it runs, in the shape of
`manage.py probe --json` plus its state and progress."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse as site_reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api.problems import problem
from compliance.models import ProbeRun
from compliance.pages import probe_run as page
from compliance.probing.ownership import can_see_evidence, remember_run
from compliance.probing.submit import Refused, submit


class ProbeRunBody(serializers.Serializer):
    domain = serializers.CharField(max_length=253)
    jid = serializers.CharField(max_length=3071, required=False, allow_blank=True)
    password = serializers.CharField(
        max_length=1024, required=False, allow_blank=True, write_only=True
    )


class CheckSerializer(serializers.Serializer):
    id = serializers.CharField(source="check_id")
    specs = serializers.ListField(child=serializers.CharField())
    outcome = serializers.CharField()
    entity = serializers.CharField()
    detail = serializers.CharField()
    error_kind = serializers.CharField(allow_null=True)
    informational = serializers.BooleanField()
    duration_s = serializers.FloatField()
    evidence = serializers.ListField(child=serializers.DictField(), required=False)


class ProbeRunSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField()
    page = serializers.URLField()
    domain = serializers.CharField()
    state = serializers.ChoiceField([state for state, _ in ProbeRun.STATES])
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    probe_version = serializers.CharField()
    account = serializers.CharField(allow_null=True)
    progress = serializers.DictField(child=serializers.IntegerField())
    software = serializers.DictField(child=serializers.CharField(allow_null=True))
    reachable = serializers.BooleanField(allow_null=True)
    checks = CheckSerializer(many=True)
    specs = serializers.DictField(child=serializers.CharField())
    verdicts = serializers.DictField(allow_null=True)
    cleanup = serializers.ListField(child=serializers.CharField())
    duration_s = serializers.FloatField(allow_null=True)


def reading(request, run: ProbeRun) -> dict:
    evidence = can_see_evidence(run, request.user, request.session)
    results = page.as_probe_json(run, evidence=evidence)
    done = run.state == ProbeRun.DONE
    return {
        "id": run.key,
        "url": reverse("api-probe-run", args=[run.key], request=request),
        "page": request.build_absolute_uri(site_reverse("probe-run", args=[run.key])),
        "domain": run.server.domain,
        "state": run.state,
        "error": run.error,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "probe_version": run.probe_version,
        "account": run.jid or None,
        "progress": {"done": results["done"], "total": run.total_checks},
        "software": {"name": run.software_name or None, "version": run.software_version or None},
        "reachable": run.reachable if done else None,
        "checks": results["checks"],
        "specs": results["specs"],
        "verdicts": run.verdicts if done else None,
        "cleanup": run.cleanup,
        "duration_s": run.duration_s,
    }


class ProbeRunSummary(serializers.ModelSerializer):
    id = serializers.UUIDField(source="key")
    url = serializers.SerializerMethodField()
    domain = serializers.CharField(source="server.domain")
    total = serializers.IntegerField(source="total_checks")
    passed = serializers.IntegerField(source="passed_checks")

    class Meta:
        model = ProbeRun
        fields = ["id", "url", "domain", "state", "created_at", "finished_at", "passed", "total"]

    def get_url(self, run: ProbeRun) -> str:
        return reverse("api-probe-run", args=[run.key], request=self.context["request"])


class ProbeRuns(generics.ListAPIView):
    """Probe runs, newest first; `POST` queues a new one."""

    serializer_class = ProbeRunSummary
    queryset = ProbeRun.objects.select_related("server").order_by("-created_at", "-pk")

    @extend_schema(
        request=ProbeRunBody,
        responses={
            202: ProbeRunSerializer,
            400: OpenApiResponse(description="refused: the reason (problem+json)"),
            429: OpenApiResponse(description="a limit: when to retry (Retry-After)"),
        },
    )
    @sensitive_variables("body", "data")  # never in an error report
    def post(self, request):
        """Queue a probe of a server, optionally with a dedicated test account (its password
        is kept encrypted only until the run ends). Anonymous requests are allowed."""
        body = ProbeRunBody(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            run = submit(
                data["domain"],
                jid=data.get("jid", ""),
                password=data.get("password", ""),
                user=request.user,
                client_address=request.META.get("REMOTE_ADDR", ""),
            )
        except Refused as exc:
            if exc.retry_at is None:
                return problem(400, str(exc))
            response = problem(429, str(exc))
            seconds = max(int((exc.retry_at - timezone.now()).total_seconds()) + 1, 1)
            response["Retry-After"] = str(seconds)
            return response
        remember_run(request.session, run)
        run = ProbeRun.objects.select_related("server").get(pk=run.pk)
        response = Response(reading(request, run), status=202)
        response["Location"] = reverse("api-probe-run", args=[run.key], request=request)
        return response


class ProbeRunDetail(APIView):
    @extend_schema(responses=ProbeRunSerializer)
    def get(self, request, key):
        """A probe run: its state and progress, and its checks, specs and verdicts as they
        arrive (evidence of a run with a test account only for who asked and the owners)."""
        run = get_object_or_404(ProbeRun.objects.select_related("server"), key=key)
        return Response(reading(request, run))
