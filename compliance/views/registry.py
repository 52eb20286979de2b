"""The registry page: every entry of the xmpp.org software registry and what became of it."""

from django import forms
from django.shortcuts import render

from compliance.pages.registry import STATE_FILTERS, registry_entries, registry_summary
from compliance.views.forms import QueryForm
from compliance.views.partials import bad_query


class RegistryForm(QueryForm):
    state = forms.ChoiceField(required=False, choices=[("", "every entry"), *STATE_FILTERS])


def registry_list(request):
    form = RegistryForm(request.GET)
    if not form.is_valid():
        return bad_query(request, form)
    state = form.cleaned_data["state"]
    context = {
        "summary": registry_summary(),
        "entries": registry_entries(state),
        "state": state,
        "states": [("", "every entry"), *STATE_FILTERS],
    }
    return render(request, "registry/list.html", context)
