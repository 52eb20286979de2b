from django.shortcuts import render

from compliance import catalogue
from compliance.home_page import compliance_counts
from compliance.models import Software
from compliance.queries import LISTED_FIELDS


def home(request):
    suite = catalogue.suite(catalogue.latest_year())
    context = {
        "suite": suite,
        "counts": compliance_counts(suite),
        "recent": Software.objects.only(*LISTED_FIELDS).order_by("-updated_at")[:8],
        "total": Software.objects.count(),
    }
    return render(request, "home.html", context)
