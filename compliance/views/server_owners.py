"""A server's owners: proving ownership of the domain (/servers/<domain>/own/), the owner's
settings (/servers/<domain>/settings/) and "Probe now" with the stored account.

Who may act is decided here, from the signed-in user alone: the owner row acted on is always
the requesting user's own (no form names an owner), so a forged post cannot reach another
owner's account or settings.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from compliance.models import ProbedServer, ServerOwner
from compliance.pages.servers import find_server
from compliance.probing import ownership
from compliance.probing.credentials import CredentialsLost
from compliance.probing.owner_forms import AccountForm, PreferencesForm
from compliance.probing.submit import Refused
from compliance.vendors import proofs
from compliance.views.permissions import SignInFirst, sign_in


def server_or_404(domain: str) -> ProbedServer:
    if server := find_server(domain):
        return server
    raise Http404(f"No server {domain!r} has been probed.")


def owned(request, domain: str) -> ServerOwner:
    """The requesting user's ownership of the server; PermissionDenied (403) for anyone else,
    SignInFirst for an anonymous GET."""
    server = server_or_404(domain)
    if not request.user.is_authenticated:
        if request.method in ("GET", "HEAD"):
            raise SignInFirst()
        raise PermissionDenied("Sign in as an owner of this server to change its settings.")
    owner = ownership.owner_row(server, request.user)
    if owner is None:
        raise PermissionDenied("Only the owners of this server can change its settings.")
    return owner


def _methods(server: ProbedServer) -> list[tuple[str, str, str, str]]:
    """(method, its name, where to publish, why it cannot apply) for each proof."""
    rows = []
    for method, name in ownership.METHODS.items():
        try:
            rows.append((method, name, ownership.location(method, server), ""))
        except proofs.ProofUnavailable as exc:
            rows.append((method, name, "", str(exc)))
    return rows


def _verify(request, proof, method: str) -> bool:
    try:
        result = ownership.verify(proof, method)
    except (ownership.TokenExpired, proofs.ProofUnavailable) as exc:
        messages.error(request, str(exc))
        return False
    if result.ok:
        messages.success(request, f"Proven: {result.detail} You own {proof.server.domain} now.")
    else:
        messages.error(request, f"Not proven: {result.detail}")
    return result.ok


@login_required
def own(request, domain: str):
    server = server_or_404(domain)
    proof = ownership.proof_token(server, request.user)
    if request.method == "POST":
        method = request.POST.get("method", "")
        if method not in ownership.METHODS:
            messages.error(request, "Choose one of the two proofs.")
        elif _verify(request, proof, method):
            return redirect("server-settings", server.domain)
        return redirect("server-own", server.domain)
    context = {
        "server": server,
        "proof": proof,
        "expected_txt": proofs.expected_txt(proof.value),
        "methods": _methods(server),
        "already": ownership.owner_row(server, request.user) is not None,
    }
    return render(request, "servers/own.html", context)


@sensitive_variables("data")
def _save(request, owner: ServerOwner) -> tuple[AccountForm, PreferencesForm]:
    """Apply one posted action to the requesting owner's own row; the forms to show again."""
    action = request.POST.get("action", "")
    account_form, preferences_form = AccountForm(), _preferences(owner)
    if action == "account":
        account_form = AccountForm(request.POST)
        if account_form.is_valid():
            data = account_form.cleaned_data
            try:
                ownership.store_account(owner, data["jid"], data["password"])
            except Refused as exc:
                account_form.add_error("jid", str(exc))
            else:
                messages.success(request, f"The test account {owner.jid} is stored.")
    elif action == "delete-account":
        ownership.delete_account(owner)
        messages.success(request, "The stored test account is deleted; daily re-probes stop.")
    elif action == "preferences":
        preferences_form = PreferencesForm(request.POST)
        if preferences_form.is_valid():
            try:
                ownership.set_preferences(owner, **preferences_form.cleaned_data)
            except ownership.NoAccount as exc:
                preferences_form.add_error("reprobe_daily", str(exc))
            else:
                messages.success(request, "Your settings are saved.")
    else:
        messages.error(request, "Nothing to change.")
    return account_form, preferences_form


def _preferences(owner: ServerOwner) -> PreferencesForm:
    return PreferencesForm(initial={"reprobe_daily": owner.reprobe_daily, "notify": owner.notify})


@sensitive_post_parameters("password")
def settings_page(request, domain: str):
    try:
        owner = owned(request, domain)
    except SignInFirst:
        return sign_in(request)
    account_form, preferences_form = AccountForm(), _preferences(owner)
    if request.method == "POST":
        account_form, preferences_form = _save(request, owner)
        if not (account_form.errors or preferences_form.errors):
            return redirect("server-settings", owner.server.domain)
    context = {
        "server": owner.server,
        "owner": owner,
        "account_form": account_form,
        "preferences_form": preferences_form,
        "has_email": bool(request.user.email),
    }
    status = 400 if account_form.errors or preferences_form.errors else 200
    return render(request, "servers/settings.html", context, status=status)


@require_POST
def probe_now(request, domain: str):
    owner = owned(request, domain)
    try:
        run = ownership.probe_now(owner, client_address=request.META.get("REMOTE_ADDR", ""))
    except (Refused, ownership.NoAccount) as exc:
        messages.error(request, str(exc))
    except CredentialsLost:
        messages.error(request, "The stored password cannot be read any more: store it again.")
    else:
        return redirect("probe-run", key=run.key)
    return redirect("server-settings", owner.server.domain)
