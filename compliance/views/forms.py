"""Query-string forms: every page's parameters are allow-listed and validated.

Unknown parameters (utm_source, fbclid, …) are ignored and left out of every link and pushed
URL, so shared links never break; a bad value of a known parameter is a 400 page in the site's
layout that says what is wrong (views.partials.bad_query)."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from compliance.display.table import SORTS
from compliance.models.software import ROLE_CHOICES
from compliance.pages.listing import LIST_SORTS
from compliance.platforms import PLATFORMS
from suites.catalogue import SPEC_ID

PLATFORM_CHOICES = [("", "any platform"), *PLATFORMS.items()]


class QueryForm(forms.Form):
    """A GET form of allow-listed parameters; any other parameter is ignored."""

    def __init__(self, data: QueryDict, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.unknown = sorted(set(data) - set(self.fields))

    def checkbox(self, name: str) -> bool:
        """A checkbox sends 'on' or nothing; anything else is a malformed link."""
        if self.data.get(name, "") not in ("", "on"):
            raise forms.ValidationError(f"{name} is 'on' or absent.")
        return self.cleaned_data[name]

    def error_text(self) -> str:
        return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in self.errors.items())

    def known_query(self, *without: str) -> dict[str, str]:
        """The known, non-empty parameters as given, but those named: what links carry."""
        return {
            name: value
            for name in self.fields
            if name not in without and (value := self.data.get(name, ""))
        }


class CompareForm(QueryForm):
    q = forms.CharField(required=False, max_length=100, label="Search")
    role = forms.ChoiceField(required=False, label="Role")
    platform = forms.ChoiceField(required=False, choices=PLATFORM_CHOICES, label="Platform")
    compliant = forms.BooleanField(required=False, label="Compliant only")
    examples = forms.BooleanField(required=False, label="Example entries")
    sort = forms.ChoiceField(required=False, choices=list(SORTS.items()), label="Sort by")

    def clean_compliant(self) -> bool:
        return self.checkbox("compliant")

    def clean_examples(self) -> bool:
        return self.checkbox("examples")

    def __init__(self, data: QueryDict, *, roles: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["role"].choices = roles
        if len(roles) == 1:
            self.fields["role"].widget = forms.HiddenInput()


class SoftwarePageForm(QueryForm):
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, data: QueryDict, *, years: list[int], **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(str(year), str(year)) for year in years]


class SoftwareListForm(QueryForm):
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput())
    q = forms.CharField(required=False, max_length=100, label="Search")
    role = forms.ChoiceField(
        required=False,
        label="Role",
        choices=[("", "all roles"), *((role, label.lower()) for role, label in ROLE_CHOICES)],
    )
    platform = forms.ChoiceField(required=False, choices=PLATFORM_CHOICES, label="Platform")
    compliant = forms.ChoiceField(required=False, label="Compliant with")
    examples = forms.BooleanField(required=False, label="Example entries")
    sort = forms.ChoiceField(
        required=False,
        label="Sort by",
        choices=[(key, words) for key, (words, _) in LIST_SORTS.items()],
    )

    def __init__(self, data: QueryDict, *, cells: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["compliant"].choices = [("", "anything"), *cells]

    def clean_examples(self) -> bool:
        return self.checkbox("examples")


class HistoryForm(QueryForm):
    spec = forms.RegexField(SPEC_ID, required=False, max_length=16)
    page = forms.IntegerField(required=False, min_value=1)
