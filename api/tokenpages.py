"""/api/tokens/: your personal API tokens: create one (its value shown once), see when each
was last used, revoke one."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What it is for, e.g. “release CI”.")


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        created = ApiToken.issue(request.user, form.cleaned_data["name"])[1]
        form = TokenForm()
    context = {"form": form, "created": created, "tokens": request.user.api_tokens.all()}
    return render(request, "api/tokens.html", context, status=201 if created else 200)


@login_required
@require_POST
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return redirect("api-tokens")
