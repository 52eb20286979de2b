"""The software list and the software pages."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render

from compliance import catalogue
from compliance.forms import SoftwareListForm
from compliance.models import Software
from compliance.queries import filtered_software
from compliance.software_page import (
    badge_choices,
    claim_lines,
    level_names,
    reaches,
    software_levels,
)
from compliance.verdicts import software_verdicts

PAGE_SIZE = 100


def page_query(filters: dict[str, str], number: int) -> str:
    """The query string of a page of the list, keeping its filters."""
    return urlencode({**filters, "page": number} if number > 1 else filters)


def software_list(request):
    form = SoftwareListForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.error_text())
    data = form.cleaned_data
    roles = [data["role"]] if data["role"] else [role for role, _ in Software.ROLE_CHOICES]
    suite = catalogue.suite(catalogue.latest_year())
    pages = Paginator(filtered_software(roles, data["q"], data["platform"]), PAGE_SIZE)
    page = pages.get_page(data["page"])
    filters = {key: value for key, value in request.GET.items() if value and key != "page"}
    context = {
        "form": form,
        "year": suite.year,
        "categories": suite.categories,
        "page": page,
        "rows": software_levels(list(page), suite),
        "previous_query": page_query(filters, page.number - 1),
        "next_query": page_query(filters, page.number + 1),
    }
    template = "software/list.html#results" if request.htmx else "software/list.html"
    return render(request, template, context)


def software_detail(request, slug: str):
    software = get_object_or_404(Software, slug=slug)
    years = list(catalogue.suites())
    try:
        year = int(request.GET.get("year", years[-1]))
    except ValueError:
        year = 0
    if year not in years or set(request.GET) - {"year"}:
        return HttpResponseBadRequest(f"year must be one of {', '.join(map(str, years))}.")
    verdicts = software_verdicts(software)
    context = {
        "software": software,
        "year": year,
        "years": years,
        "level_names": level_names(software),
        "grid": [
            (y, [(catalogue.CATEGORY_NAMES[c], verdicts[y].get(c)) for c in catalogue.CATEGORIES])
            for y in years[::-1]
        ],
        "reaches": reaches(verdicts[year]),
        "claims": claim_lines(list(software.claims.all())),
        "badges": badge_choices(year, verdicts[year]),
        "page_url": request.build_absolute_uri(request.path),
        "badge_base": request.build_absolute_uri(f"/badge/{software.slug}/"),
    }
    return render(request, "software/detail.html", context)
