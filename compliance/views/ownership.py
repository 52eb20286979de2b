"""Proving that you maintain an entry: the token, where to publish it, and "Verify now"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from compliance.models import Software
from compliance.vendors import proofs
from compliance.vendors.maintainers import maintains
from compliance.vendors.ownership import TokenExpired, proof_token, verify


def _methods(software: Software) -> list[tuple[str, str, str, str]]:
    """(method, its name, where to publish, why it cannot apply) for each proof."""
    rows = []
    for method, name in proofs.METHODS.items():
        try:
            rows.append((method, name, proofs.location(method, software), ""))
        except proofs.ProofUnavailable as exc:
            rows.append((method, name, "", str(exc)))
    return rows


@login_required
def maintain(request, slug: str):
    software = get_object_or_404(Software, slug=slug)
    token = proof_token(software, request.user)
    if request.method == "POST":
        method = request.POST.get("method", "")
        if method not in proofs.METHODS:
            messages.error(request, "Choose one of the three proofs.")
        else:
            try:
                result = verify(token, method)
            except TokenExpired as exc:
                messages.error(request, str(exc))
            except proofs.ProofUnavailable as exc:
                messages.error(request, str(exc))
            else:
                if result.ok:
                    messages.success(request, f"Proven: {result.detail} You maintain it now.")
                    return redirect("software-edit", slug=software.slug)
                messages.error(request, f"Not proven: {result.detail}")
        return redirect("software-maintain", slug=software.slug)
    context = {
        "software": software,
        "token": token,
        "expected_txt": proofs.expected_txt(token.value),
        "methods": _methods(software),
        "already": maintains(request.user, software),
    }
    return render(request, "vendor/maintain.html", context)
