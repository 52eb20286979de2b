"""Comparison tables: one page per year, category and level; htmx swaps only the table."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from compliance.display.labels import PARTIAL_MARK
from compliance.display.table import SORTS
from compliance.pages.compare import compare_table, table_csv
from compliance.views.forms import CompareForm
from compliance.views.partials import bad_query, render_page
from suites import catalogue
from suites.address import NotFound, level_slug, resolve, roles_at
from suites.catalogue import CATEGORY_NAMES, LEVEL_NAMES

ROLE_CHOICES = {
    "server": [("", "servers")],
    "client": [
        ("", "clients and libraries"),
        ("client", "clients only"),
        ("library", "libraries only"),
    ],
}


def _table(request, year: int, category: str, level: str):
    try:
        suite, category, level = resolve(year, category, level)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    roles = ROLE_CHOICES["server" if roles_at(level) == ["server"] else "client"]
    form = CompareForm(request.GET, roles=roles)
    if not form.is_valid():
        return form, None
    return form, compare_table(suite, category, level, form.cleaned_data)


def level_links(table, filters: dict[str, str]) -> list[tuple[str, str, str]]:
    """(slug, name, query) per level: the filters kept, the role only between levels that
    judge the same roles."""
    links = []
    for key, name in LEVEL_NAMES.items():
        same_roles = roles_at(key) == roles_at(table.level)
        query = filters if same_roles else {k: v for k, v in filters.items() if k != "role"}
        links.append((level_slug(key), name, urlencode(query)))
    return links


def compare(request, year: int, category: str, level: str):
    form, table = _table(request, year, category, level)
    if table is None:
        return bad_query(request, form)
    filters = form.known_query("sort")
    sort = form.cleaned_data.get("sort") or "name"
    canonical = {**filters, "sort": sort} if sort != "name" else filters
    context = {
        "form": form,
        "table": table,
        "query": urlencode(canonical),
        "sort": sort,
        "sort_links": {key: urlencode({**filters, "sort": key}) for key in SORTS},
        "years": [(y, category in s.category_keys) for y, s in catalogue.suites().items()],
        "categories": [(key, CATEGORY_NAMES[key]) for key in table.suite.category_keys],
        "levels": level_links(table, canonical),
        "level_slug": level_slug(table.level),
        "partial_mark": PARTIAL_MARK,
    }
    return render_page(request, "compare/page.html", "table", context, canonical)


def compare_csv(request, year: int, category: str, level: str):
    form, table = _table(request, year, category, level)
    if table is None:
        return bad_query(request, form)
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="xmpp-compliance-{table.slug}.csv"'
    return response


def compare_index(request):
    """The latest year's IM table at the client level: the most asked question."""
    return redirect("compare", year=catalogue.latest_year(), category="im", level="client")
