"""The forms of a server's owner settings. Whether the account belongs to the domain is decided
in ownership.store_account (through submit.check_account); the password is never rendered back."""

from django import forms


class AccountForm(forms.Form):
    jid = forms.CharField(
        max_length=3071,
        label="Test account (JID)",
        help_text="user@the-domain: a dedicated account the probe may log in to every day.",
    )
    password = forms.CharField(
        max_length=1024,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Stored encrypted; never shown again, never logged.",
    )


class PreferencesForm(forms.Form):
    reprobe_daily = forms.BooleanField(
        required=False, label="Probe the server every day with the stored test account"
    )
    notify = forms.BooleanField(
        required=False, label="E-mail me when an outcome changes from one run to the next"
    )
