"""Suite pages: the tables as the XEPs show them, and what changed since the previous year."""

from django.http import Http404
from django.shortcuts import render

from compliance.pages.features import feature_at, meeting
from suites import catalogue
from suites.diff import diff_suites


def suite_list(request):
    suites = list(catalogue.suites().values())
    return render(request, "suites/list.html", {"suites": suites[::-1]})


def suite_detail(request, year: int):
    suites = catalogue.suites()
    if year not in suites:
        raise Http404(f"No compliance suite for {year}.")
    suite = suites[year]
    previous = suites.get(max((y for y in suites if y < year), default=0))
    context = {
        "suite": suite,
        "years": list(suites),
        "previous": previous,
        "table_changes": diff_suites(previous, suite) if previous else [],
        "levels": [(level, suite.column_headers[level]) for level in catalogue.LEVELS],
    }
    return render(request, "suites/detail.html", context)


def feature_detail(request, year: int, category: str, number: int):
    """One feature of a suite table and the entries that meet it at each level."""
    suite = catalogue.suites().get(year)
    feature = feature_at(suite, category, number) if suite else None
    if feature is None:
        raise Http404(f"No feature {number} in the {category} table of {year}.")
    context = {
        "suite": suite,
        "category": category,
        "category_name": catalogue.CATEGORY_NAMES[category],
        "feature": feature,
        "levels": meeting(suite, category, feature),
    }
    return render(request, "suites/feature.html", context)
