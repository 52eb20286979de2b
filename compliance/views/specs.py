"""The spec index and each spec's page."""

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render

from compliance.models.software import ROLE_CHOICES
from compliance.pages.software import SUPPORT_WORDS
from compliance.pages.specs import (
    spec_claims,
    spec_from_slug,
    spec_index,
    spec_slug,
    spec_titles,
)
from compliance.views.forms import QueryForm
from compliance.views.partials import bad_query
from suites.specs import spec_url

ROLE_FILTER = [("", "all roles"), *((role, label.lower()) for role, label in ROLE_CHOICES)]


class SpecForm(QueryForm):
    role = forms.ChoiceField(required=False, label="Role", choices=ROLE_FILTER)


def spec_list(request):
    return render(request, "specs/list.html", {"specs": spec_index()})


def spec_detail(request, spec: str):
    canonical = spec_from_slug(spec)
    if canonical is None:
        raise Http404("Write the spec as XEP-0313 or RFC-6120.")
    if spec_slug(canonical) != spec:
        return redirect("spec-detail", spec_slug(canonical), permanent=True)
    form = SpecForm(request.GET)
    if not form.is_valid():
        return bad_query(request, form)
    role = form.cleaned_data["role"]
    context = {
        "spec": canonical,
        "title": spec_titles().get(canonical, ""),
        "document": spec_url(canonical),
        "rows": spec_claims(canonical, role),
        "role": role,
        "roles": ROLE_FILTER,
        "support_words": SUPPORT_WORDS,
    }
    return render(request, "specs/detail.html", context)
