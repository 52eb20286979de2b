"""An entry's maintainers: the list, invitations by e-mail, removal; accepting an invitation;
the reference deployment whose probes verify the claims."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from compliance.history import Actor
from compliance.models import Token
from compliance.probing.verification import judged_by_probe, owned_servers, set_reference_server
from compliance.vendors.forms import InviteForm, ReferenceServerForm
from compliance.vendors.maintainers import (
    InvalidInvitation,
    LastMaintainer,
    accept_invitation,
    invite,
    remove_maintainer,
)
from compliance.views.permissions import SignInFirst, maintained, sign_in


def maintainers(request, slug: str):
    try:
        software = maintained(request, slug)
    except SignInFirst:
        return sign_in(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invite(
            software,
            form.cleaned_data["email"],
            inviter=request.user,
            link_for=lambda raw: request.build_absolute_uri(
                reverse("invitation-accept", kwargs={"token": raw})
            ),
        )
        messages.success(request, f"The invitation is sent to {form.cleaned_data['email']}.")
        return redirect("software-maintainers", slug=software.slug)
    return _page(request, software, form, _reference_form(request, software))


def _reference_form(request, software, data=None) -> ReferenceServerForm:
    return ReferenceServerForm(
        data,
        servers=owned_servers(request.user),
        current=software.reference_server,
        server_entry=judged_by_probe(software),
    )


def _page(request, software, form, reference_form):
    context = {
        "software": software,
        "maintainers": software.maintainers.select_related("user"),
        "invitations": software.tokens.filter(purpose=Token.INVITATION, used_at=None),
        "form": form,
        "reference_form": reference_form,
        "server_entry": judged_by_probe(software),
    }
    status = 400 if form.errors or reference_form.errors else 200
    return render(request, "vendor/maintainers.html", context, status=status)


@require_POST
def reference_server(request, slug: str):
    """Name or clear the reference deployment: a maintainer, naming a server they own."""
    software = maintained(request, slug)
    form = _reference_form(request, software, request.POST)
    if not form.is_valid():
        return _page(request, software, InviteForm(), form)
    server = form.cleaned_data["domain"]
    if set_reference_server(software, server, actor=Actor.person(request.user)):
        messages.success(
            request,
            f"The reference deployment is {server.domain} now."
            if server
            else "The entry has no reference deployment now.",
        )
    return redirect("software-maintainers", slug=software.slug)


@require_POST
def remove(request, slug: str):
    software = maintained(request, slug)
    user = get_user_model().objects.filter(pk=request.POST.get("user", "")).first()
    if user is not None:
        try:
            remove_maintainer(software, user, actor=Actor.person(request.user))
        except LastMaintainer as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{user.get_username()} no longer maintains it.")
            if user == request.user:
                return redirect("account-home")
    return redirect("software-maintainers", slug=software.slug)


@login_required
def accept(request, token: str):
    if request.method != "POST":
        return render(request, "vendor/accept.html", {"token": token})
    try:
        software = accept_invitation(token, request.user)
    except InvalidInvitation as exc:
        messages.error(request, str(exc))
        return redirect("account-home")
    messages.success(request, f"You maintain {software.name} now.")
    return redirect("software-edit", slug=software.slug)
