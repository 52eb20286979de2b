from django.shortcuts import render

from compliance.models import Software
from compliance.pages.home import cached_counts
from compliance.pages.listing import LISTED_FIELDS
from compliance.pages.registry import registry_summary
from suites import catalogue


def home(request):
    suite = catalogue.suite(catalogue.latest_year())
    total, counts = cached_counts(suite)
    context = {
        "suite": suite,
        "counts": counts,
        "total": total,
        "registry": registry_summary(),
        "recent": Software.objects.only(*LISTED_FIELDS).order_by("-updated_at")[:8],
    }
    return render(request, "home.html", context)
