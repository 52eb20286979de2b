"""The form of /probe/: a domain and, optionally, a test account. Validation is in submit.py
(the one place that decides what may be probed); the password is never rendered back."""

from django import forms


class ProbeForm(forms.Form):
    domain = forms.CharField(
        max_length=253, help_text="The XMPP domain, e.g. example.org (no port, no address)."
    )
    jid = forms.CharField(
        max_length=3071,
        required=False,
        label="Test account (JID)",
        help_text="Optional: user@the-domain. Use a dedicated account.",
    )
    password = forms.CharField(
        max_length=1024,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Kept encrypted only until the run ends, never shown or logged.",
    )
