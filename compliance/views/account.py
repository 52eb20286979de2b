"""A vendor's account page: the entries they maintain, their open proofs, the servers they
own, a link to their API tokens, a new entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from compliance.models import ServerOwner, Software, Token
from compliance.vendors.forms import NewEntryForm
from compliance.vendors.ownership import create_entry


@login_required
def account_home(request):
    context = {
        "maintained": Software.objects.filter(maintainers__user=request.user).order_by("name"),
        "proofs": Token.objects.filter(
            user=request.user, purpose=Token.PROOF, used_at=None
        ).select_related("software"),
        "servers": ServerOwner.objects.filter(user=request.user)
        .select_related("server")
        .order_by("server__domain"),
        "form": NewEntryForm(),
    }
    return render(request, "account/home.html", context)


@login_required
@require_POST
def new_entry(request):
    form = NewEntryForm(request.POST)
    if not form.is_valid():
        return render(request, "account/home.html", {"form": form}, status=400)
    software = create_entry(request.user, **form.cleaned_data)
    messages.success(
        request, f"{software.name} is created; it is marked unverified until you prove it."
    )
    return redirect("software-maintain", slug=software.slug)
