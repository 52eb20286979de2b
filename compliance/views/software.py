"""The software list and the software pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from compliance.display.labels import PARTIAL_MARK, PARTIAL_WORDS
from compliance.models import Software
from compliance.pages.badge import summary_badge
from compliance.pages.listing import filtered_software, sorted_software, without_examples
from compliance.pages.software import (
    SummaryBadge,
    badge_choices,
    cell_choices,
    claim_lines,
    close_matches,
    compliant_with,
    data_source,
    finding_groups,
    level_names,
    probe_evidence,
    reaches,
    software_levels,
    verdict_grid,
)
from compliance.vendors.maintainers import maintains
from compliance.views.forms import SoftwareListForm, SoftwarePageForm
from compliance.views.partials import bad_query, render_page
from suites import catalogue

PAGE_SIZE = 100


def page_query(filters: dict[str, str], number: int) -> str:
    """The query string of a page of the list, keeping its filters."""
    return urlencode({**filters, "page": number} if number > 1 else filters)


def software_list(request):
    form = SoftwareListForm(request.GET, cells=cell_choices())
    if not form.is_valid():
        return bad_query(request, form)
    data = form.cleaned_data
    roles = [data["role"]] if data["role"] else [role for role, _ in Software.ROLE_CHOICES]
    suite = catalogue.suite(catalogue.latest_year())
    software, left_out = without_examples(
        filtered_software(roles, data["q"], data["platform"]), data["examples"]
    )
    software = sorted_software(software, data["sort"])
    if data["compliant"]:
        software = compliant_with(software, data["compliant"])
    pages = Paginator(software, PAGE_SIZE)
    page = pages.get_page(data["page"])
    filters = form.known_query("page")
    context = {
        "form": form,
        "year": suite.year,
        "categories": suite.categories,
        "page": page,
        "examples_left_out": left_out,
        "examples_query": urlencode({**filters, "examples": "on"}),
        "rows": software_levels(list(page), suite),
        "previous_query": page_query(filters, page.number - 1),
        "next_query": page_query(filters, page.number + 1),
    }
    canonical = {**filters, "page": str(page.number)} if page.number > 1 else filters
    return render_page(request, "software/list.html", "results", context, canonical)


def summary_of(software: Software) -> SummaryBadge:
    badge = summary_badge(software.slug, "latest")
    return SummaryBadge(software.slug, badge.label, badge.message)


def not_found(request, slug: str):
    """A close name redirects to the one entry it names (prosody for prosody-im); else a 404
    in the site's layout that suggests the closest entries."""
    suggestions = close_matches(slug)
    if len(suggestions) == 1:
        return redirect("software-detail", suggestions[0].slug)
    context = {"suggestions": suggestions, "query": slug.replace("-", " ")}
    return render(request, "404.html", context, status=404)


def software_detail(request, slug: str):
    software = (
        Software.objects.filter(slug=slug).select_related("reference_server").defer("logo").first()
    )
    if software is None:
        return not_found(request, slug)
    years = list(catalogue.suites())
    form = SoftwarePageForm(request.GET, years=years)
    if not form.is_valid():
        return bad_query(request, form)
    year = form.cleaned_data["year"] or years[-1]
    verdicts = software.verdicts()
    claims = list(software.claims.all())
    evidence = probe_evidence(software, claims, timezone.now())
    context = {
        "software": software,
        "year": year,
        "years": years,
        "level_names": level_names(software),
        "grid": verdict_grid(verdicts, years, evidence),
        "evidence": evidence,
        "reaches": reaches(verdicts[year], software),
        "finding_groups": finding_groups(software.doap_findings),
        "partial_mark": PARTIAL_MARK,
        "partial_words": PARTIAL_WORDS,
        "claims": claim_lines(claims, software.current_version, evidence.labels),
        "maintains": maintains(request.user, software),
        "badges": badge_choices(software.slug, year, verdicts[year], software.has_data, evidence),
        "summary_badge": summary_of(software),
        "source": data_source(software, timezone.now()),
        "site": settings.SITE_URL.rstrip("/") or request.build_absolute_uri("/").rstrip("/"),
    }
    return render(request, "software/detail.html", context)


# A stored logo opened on its own is a document: it may load and run nothing (SVG included).
LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_safe
def logo(request, slug: str):
    """The entry's stored logo (compliance/logos.py), or 404."""
    found = (
        Software.objects.filter(slug=slug).exclude(logo_type="").values_list("logo", "logo_type")
    )
    if not found:
        raise Http404("No logo.")
    data, content_type = found[0]
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Security-Policy"] = LOGO_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
