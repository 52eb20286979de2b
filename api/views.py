"""The read endpoints of /api/v1/: thin views over the compliance/pages/ read models."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.gzip import gzip_page
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api import serializers as s
from api.readings import cached_reading
from compliance.models import Software
from compliance.pages.compare import compare_table
from compliance.pages.listing import filtered_software, without_examples
from compliance.pages.software import claim_lines
from compliance.pages.specs import spec_claims, spec_from_slug, spec_index, spec_titles
from compliance.probing.verification import evidence_run, evidence_runs, labels_for, verdict_label
from suites import catalogue
from suites.address import NotFound as NoCell
from suites.address import resolve, roles_at
from suites.engine import evaluate, verdicts_as_dict


def query(serializer_class, request) -> dict:
    """The query parameters a view knows, validated (a bad value is a 400); others ignored."""
    form = serializer_class(data=request.query_params)
    form.is_valid(raise_exception=True)
    return form.validated_data


def software_or_404(slug: str) -> Software:
    return get_object_or_404(Software, slug=slug)


def lines_of(software: Software):
    return claim_lines(list(software.claims.all()), software.current_version)


def labelled_lines_of(software: Software):
    """The claims as the entry's page lists them: each claim of support of a server entry with
    its probe label from the evidence run (at most two queries beside the claims')."""
    claims = list(software.claims.all())
    labels = labels_for(software, claims, evidence_run(software, timezone.now()))
    return claim_lines(claims, software.current_version, labels)


def verdicts_of(software: Software, years: list[int] | None = None, runs=None) -> dict:
    """`manage.py compliance SLUG --json`'s `years`, every cell marked with its basis: verified
    by the probe of the entry's reference deployment, or self-assessed
    (compliance/probing/verification.py). `runs`, from evidence_runs, spares a query an entry."""
    if runs is None:
        run = evidence_run(software, timezone.now())
    else:
        run = runs.get(software.reference_server_id)
    verdicts = software.verdicts(years)
    years_dict = verdicts_as_dict(verdicts)
    for year, by_category in verdicts.items():
        for category, by_level in by_category.items():
            for level, verdict in by_level.items():
                years_dict[str(year)][category][level]["basis"] = verdict_label(verdict, run).label
    return years_dict


class Index(APIView):
    @extend_schema(responses={200: {"type": "object", "additionalProperties": {"type": "string"}}})
    def get(self, request):
        """Every resource of the API, by name."""
        latest = catalogue.latest_year()
        names = {
            "suites": reverse("api-suites", request=request),
            "software": reverse("api-software-list", request=request),
            "specs": reverse("api-specs", request=request),
            "compare": reverse("api-compare", args=[latest, "im", "client"], request=request),
            "export": reverse("api-export", request=request),
            "servers": reverse("api-servers", request=request),
            "probe-runs": reverse("api-probe-runs", request=request),
            "schema": reverse("api-schema", request=request),
            "docs": reverse("api-docs", request=request),
        }
        return Response(names)


class SuiteList(generics.ListAPIView):
    serializer_class = s.SuiteSummarySerializer

    def get_queryset(self):
        return list(catalogue.suites().values())


class SuiteDetail(APIView):
    @extend_schema(responses=s.SuiteSerializer)
    def get(self, request, year: int):
        """A suite's tables: categories, features, cells per level with notes, providers and
        the rule of how many providers count ("any": any one)."""
        suites = catalogue.suites()
        if year not in suites:
            raise NotFound(f"There is no compliance suite for {year}.")
        return Response(s.SuiteSerializer(suites[year], context={"request": request}).data)


@extend_schema(parameters=[s.SoftwareQuery])
class SoftwareList(generics.ListAPIView):
    """The software, by name: filters role, platform, search, compliant=YEAR/CATEGORY/LEVEL."""

    serializer_class = s.SoftwareSummarySerializer

    def get_queryset(self):
        data = query(s.SoftwareQuery, self.request)
        roles = [data["role"]] if data.get("role") else s.ROLES
        if data.get("compliant"):
            suite, category, level = data["compliant"]
            roles = [role for role in roles if role in roles_at(level)]
        software, _ = without_examples(
            filtered_software(roles, data.get("search", ""), data.get("platform", "")),
            data["examples"],
        )
        if not data.get("compliant"):
            return software
        return [
            entry
            for entry in software
            if entry.has_data
            and evaluate(suite, category, level, entry.statuses, entry.profile).compliant
        ]


class SoftwareDetail(APIView):
    @extend_schema(responses=s.SoftwareSerializer)
    def get(self, request, slug: str):
        """An entry: its fields, flags, every claim (whether it counts and, for a server's
        claim of support, what the probe of its reference deployment says), lint findings."""
        context = {"request": request, "claim_lines": labelled_lines_of}
        return cached_reading(
            request, slug, lambda software: s.SoftwareSerializer(software, context=context).data
        )


class SoftwareVerdicts(APIView):
    @extend_schema(parameters=[s.YearQuery], responses=s.VerdictsSerializer)
    def get(self, request, slug: str):
        """Exactly `manage.py compliance SLUG --json` (`?year=` for one), each cell with its
        basis: self-assessed (claims) or verified (probes)."""
        year = query(s.YearQuery, request).get("year")

        def build(software: Software) -> dict:
            years = verdicts_of(software, [year] if year else None)
            return {"software": software.slug, "role": software.role, "years": years}

        return cached_reading(request, slug, build)


@extend_schema(parameters=[s.HistoryQuery])
class SoftwareHistory(generics.ListAPIView):
    """The entry's audit log, newest first (`?spec=` for one spec's claims)."""

    serializer_class = s.ChangeSerializer

    def get_queryset(self):
        software = software_or_404(self.kwargs["slug"])
        spec = query(s.HistoryQuery, self.request).get("spec")
        changes = software.changes.order_by("-at", "-pk")
        return changes.filter(spec=spec) if spec else changes


class Compare(APIView):
    @extend_schema(parameters=[s.CompareQuery], responses=s.CompareSerializer)
    def get(self, request, year: int, category: str, level: str):
        """The comparison table as rows, with the page's filters."""
        try:
            suite, category, level = resolve(year, category, level)
        except NoCell as exc:
            raise NotFound(str(exc)) from None
        data = query(s.CompareQuery, request)
        filters = {**data, "q": data.get("search", "")}
        table = compare_table(suite, category, level, filters)
        if data.get("role") and data["role"] not in roles_at(level):
            table.rows = []  # e.g. servers at a client level: none is judged there
        return Response(s.CompareSerializer(table).data)


class SpecList(generics.ListAPIView):
    """Every spec claimed by an entry or named by a suite, with how many entries claim it."""

    serializer_class = s.SpecSummarySerializer

    def get_queryset(self):
        return spec_index()


class SpecDetail(APIView):
    @extend_schema(parameters=[s.SpecQuery], responses=s.SpecSerializer)
    def get(self, request, spec: str):
        """Every entry that claims the spec (its counting claim), `?role=` for one role."""
        name = spec_from_slug(spec)
        if name is None:
            raise NotFound(f"{spec[:40]!r} is not a spec: write RFC-6120 or XEP-0313.")
        role = query(s.SpecQuery, request).get("role", "")
        entries = spec_claims(name, role)
        title = spec_titles().get(name, "")
        return Response(s.SpecSerializer({"spec": name, "title": title, "entries": entries}).data)


@method_decorator(gzip_page, name="dispatch")
class Export(APIView):
    @extend_schema(responses=s.ExportSerializer)
    def get(self, request):
        """Every entry, claim and verdict in one document (gzip when asked for)."""
        software = list(Software.objects.prefetch_related("claims").order_by("slug"))
        runs = evidence_runs(software, timezone.now())
        context = {
            "request": request,
            "claim_lines": lines_of,
            "verdicts": lambda entry: verdicts_of(entry, runs=runs),
        }
        document = {"suites": list(catalogue.suites()), "software": software}
        return Response(s.ExportSerializer(document, context=context).data)
