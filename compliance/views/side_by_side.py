"""/compare/entries/?e=prosody-im&e=ejabberd: two to four entries side by side."""

import re

from django import forms
from django.shortcuts import render

from compliance.models import Software
from compliance.pages.side_by_side import MAX_ENTRIES, MIN_ENTRIES, entries_by_slug, side_by_side
from compliance.views.forms import QueryForm
from compliance.views.partials import bad_query
from suites import catalogue

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class EntriesForm(QueryForm):
    e = forms.CharField(required=False)  # repeated: read with data.getlist
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, data, **kwargs) -> None:
        super().__init__(data, **kwargs)
        years = [(str(y), str(y)) for y in reversed(list(catalogue.suites()))]
        self.fields["year"].choices = [("", "the newest"), *years]

    def clean_e(self) -> list[str]:
        slugs = list(dict.fromkeys(s.strip() for s in self.data.getlist("e") if s.strip()))
        if len(slugs) > MAX_ENTRIES:
            raise forms.ValidationError(f"At most {MAX_ENTRIES} entries side by side.")
        if not all(SLUG.fullmatch(s) for s in slugs):
            raise forms.ValidationError("An entry is named by its address, e.g. prosody-im.")
        return slugs


def side_by_side_page(request):
    form = EntriesForm(request.GET)
    if not form.is_valid():
        return bad_query(request, form)
    year = form.cleaned_data["year"] or catalogue.latest_year()
    software, unknown = entries_by_slug(form.cleaned_data["e"])
    enough = len(software) >= MIN_ENTRIES
    context = {
        "form": form,
        "year": year,
        "years": list(catalogue.suites()),
        "software": software,
        "unknown": unknown,
        "slots": [*software, *[None] * (MAX_ENTRIES - len(software))],
        "rows": side_by_side(catalogue.suite(year), software) if enough else [],
        "min_entries": MIN_ENTRIES,
        "choices": Software.objects.filter(is_example=False)
        .order_by("name")
        .values_list("slug", "name"),
    }
    return render(request, "compare/entries.html", context)
