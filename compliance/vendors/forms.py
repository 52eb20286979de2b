"""The forms of the vendor side: an entry's fields, one claim row of the editor, a new entry,
an invitation. Every value a vendor enters is validated here and escaped wherever shown."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator

from compliance.doap.vocabulary import STATUSES
from compliance.entries import EDITOR_FIELDS
from compliance.models import ProbedServer, Software
from suites.engine import ROLES

HTTP_URL = URLValidator(schemes=["http", "https"], message="Give an http(s) address.")
STATUS_CHOICES = [("", "no claim"), *((status, status) for status in STATUSES)]
ROLE_FIELD_CHOICES = [(role, role) for role in ROLES]


class HttpUrlField(forms.URLField):
    default_validators = [HTTP_URL]
    default_error_messages = {"invalid": HTTP_URL.message}

    def __init__(self, **kwargs) -> None:
        super().__init__(assume_scheme="https", max_length=500, **kwargs)


class EntryForm(forms.Form):
    """The entry's own fields in the editor; `revision` is the one the form was read at."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    name = forms.CharField(max_length=200)
    description = forms.CharField(max_length=1000, required=False, widget=forms.Textarea)
    homepage = HttpUrlField(required=False)
    platforms = forms.CharField(
        max_length=1000, required=False, help_text="Comma-separated, e.g. Linux, Android, iOS."
    )
    role = forms.ChoiceField(choices=ROLE_FIELD_CHOICES)
    terminal_interface = forms.BooleanField(
        required=False, label="A command line or terminal based interface"
    )
    background_restricted = forms.BooleanField(
        required=False, label="Runs on platforms that disallow long-lasting background connections"
    )
    current_version = forms.CharField(
        max_length=64, required=False, help_text="The version the verdicts are of."
    )
    doap_url = HttpUrlField(required=False, label="DOAP URL")

    @classmethod
    def initial_of(cls, software: Software) -> dict:
        return {
            "revision": software.revision,
            **{name: getattr(software, name) for name in EDITOR_FIELDS},
            "platforms": ", ".join(software.platforms),
        }

    def clean_platforms(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["platforms"].split(",")]
        return [name[:100] for name in names if name][:50]


class ClaimRowForm(forms.Form):
    """One specification's self-assessed claim; `revision` 0 when there was none."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    spec_version = forms.CharField(max_length=32, required=False, label="spec version")
    since_version = forms.CharField(max_length=64, required=False, label="since version")
    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_url = HttpUrlField(required=False, label="evidence URL")
    provided_by = forms.CharField(max_length=200, required=False, label="provided by")

    VALUES = ("status", "spec_version", "since_version", "note", "evidence_url", "provided_by")

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.VALUES}

    def is_empty(self) -> bool:
        return not any(self.values().values())


class NewEntryForm(forms.Form):
    name = forms.CharField(max_length=200)
    role = forms.ChoiceField(choices=ROLE_FIELD_CHOICES)
    homepage = HttpUrlField(required=False)
    description = forms.CharField(max_length=1000, required=False, widget=forms.Textarea)


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address of the new maintainer")


class ReferenceServerForm(forms.Form):
    """The entry's reference deployment: one of the servers the user owns, or none. A server
    another maintainer named may be kept or cleared, not named again by someone else."""

    domain = forms.CharField(
        max_length=253,
        required=False,
        label="Reference deployment",
        help_text="A server you proved you run, whose probes verify the claims; empty for none.",
    )

    def __init__(
        self,
        data=None,
        *,
        servers: list[ProbedServer],
        current: ProbedServer | None = None,
        server_entry: bool = True,
        **kwargs,
    ):
        super().__init__(data, initial={"domain": current.domain if current else ""}, **kwargs)
        self.servers = {server.domain: server for server in servers}
        self.current, self.server_entry = current, server_entry
        choices = [("", "none"), *((domain, domain) for domain in self.servers)]
        if current and current.domain not in self.servers:
            choices.insert(1, (current.domain, f"{current.domain} (named by another maintainer)"))
        self.fields["domain"].widget = forms.Select(choices=choices)

    def clean_domain(self) -> ProbedServer | None:
        domain = self.cleaned_data["domain"].strip().lower()
        if not domain:
            return None
        if self.current and domain == self.current.domain:
            return self.current
        if not self.server_entry:
            raise forms.ValidationError("Only a server entry has a reference deployment.")
        if domain not in self.servers:
            raise forms.ValidationError(
                f"You can only name a server you own: prove that you run {domain} on its "
                "server page first."
            )
        return self.servers[domain]
