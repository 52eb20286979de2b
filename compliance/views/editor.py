"""The claim editor at /software/<slug>/edit/ (maintainers only): the entry's fields and one
row per specification; rows save one at a time through htmx, the whole form posts without
JavaScript, and a live preview shows the verdicts the unsaved values would give."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from compliance.doap.importer import import_doap
from compliance.doap.parse import DoapError
from compliance.entries import StaleEntry
from compliance.history import Actor
from compliance.models import Claim, Software
from compliance.vendors import editor
from compliance.vendors.edit import save_entry, save_row, stored_values
from compliance.vendors.forms import ClaimRowForm, EntryForm
from compliance.views.permissions import SignInFirst, maintained, sign_in


def _claims(software: Software) -> tuple[dict[str, Claim], dict[str, Claim], list[Claim]]:
    claims = list(software.claims.all())
    own = {c.spec: c for c in claims if c.source == Claim.SELF}
    doap = {c.spec: c for c in claims if c.source == Claim.DOAP}
    return own, doap, claims


def _row_form(slot, data, claim: Claim | None) -> ClaimRowForm:
    initial = {"revision": claim.revision if claim else 0, **stored_values(claim)}
    return ClaimRowForm(data, prefix=slot.key, initial=initial)


def _rows(data, own, doap) -> list[editor.Row]:
    return [
        editor.Row(slot, _row_form(slot, data, own.get(slot.spec)), doap.get(slot.spec))
        for slot in editor.slots()
    ]


def _unsaved(rows: list[editor.Row]) -> dict[str, dict[str, str]]:
    """The rows' posted values (valid ones only) for the preview."""
    return {row.slot.spec: row.form.values() for row in rows if row.form.is_valid()}


def _preview(software, claims, rows, entry_form: EntryForm):
    data = entry_form.cleaned_data if entry_form.is_valid() else {}
    return editor.preview(
        software,
        claims,
        _unsaved(rows),
        role=data.get("role", software.role),
        terminal=data.get("terminal_interface", software.terminal_interface),
        background=data.get("background_restricted", software.background_restricted),
        current_version=data.get("current_version", software.current_version),
    )


def _page(request, software, rows, entry_form, status=200):
    year, reaches = editor.current(software)
    context = {
        "software": software,
        "entry_form": entry_form,
        "sections": editor.sections(rows),
        "year": year,
        "reaches": reaches,
    }
    return render(request, "editor/page.html", context, status=status)


def edit(request, slug: str):
    try:
        software = maintained(request, slug)
    except SignInFirst:
        return sign_in(request)
    own, doap, _ = _claims(software)
    if request.method != "POST":
        entry_form = EntryForm(initial=EntryForm.initial_of(software))
        return _page(request, software, _rows(None, own, doap), entry_form)
    actor = Actor.person(request.user)
    entry_form, rows = EntryForm(request.POST), _rows(request.POST, own, doap)
    if not entry_form.is_valid() or not all(row.form.is_valid() for row in rows):
        messages.error(request, "Nothing was saved: correct the fields marked below.")
        return _page(request, software, rows, entry_form, status=400)
    conflicts = []
    try:
        save_entry(software, actor, entry_form)
    except StaleEntry as exc:
        conflicts.append(str(exc))
    for row in rows:
        outcome = save_row(software, actor, row.slot.spec, row.form, own.get(row.slot.spec))
        row.saved, row.conflict = outcome.saved, outcome.conflict if outcome.stale else None
        if outcome.stale:
            conflicts.append(f"{row.slot.spec} was changed by someone else in the meantime.")
    if not conflicts:
        messages.success(request, "Saved.")
        return redirect("software-edit", slug=software.slug)
    messages.error(request, " ".join(conflicts) + " Compare the values below and save again.")
    software.refresh_from_db()
    own, doap, _ = _claims(software)
    data = request.POST.copy()  # the posted values stay; the revisions are those now stored
    data["revision"] = software.revision
    for row in rows:
        claim = own.get(row.slot.spec)
        data[f"{row.slot.key}-revision"] = claim.revision if claim else 0
        row.form.data = data
    entry_form.data = data
    return _page(request, software, rows, entry_form, status=409)


@require_POST
def save_claim(request, slug: str, spec: str):
    """One row, through htmx: the row again, saved or with the conflict."""
    software = maintained(request, slug)
    own, doap, _ = _claims(software)
    slot = next((slot for slot in editor.slots() if slot.spec == spec), None)
    if slot is None:
        raise Http404(f"The suites name no specification {spec!r}.")
    form = _row_form(slot, request.POST, own.get(spec))
    row = editor.Row(slot, form, doap.get(spec))
    status = 400
    if form.is_valid():
        outcome = save_row(software, Actor.person(request.user), spec, form, own.get(spec))
        row.saved, status = outcome.saved, 409 if outcome.stale else 200
        if outcome.stale:
            row.conflict = outcome.conflict
            data = form.data.copy()
            current = software.claims.filter(spec=spec, source=Claim.SELF).first()
            data[f"{slot.key}-revision"] = current.revision if current else 0
            row.form = ClaimRowForm(data, prefix=slot.key)
            row.form.is_valid()
        else:
            row.form = _row_form(
                slot, None, software.claims.filter(spec=spec, source=Claim.SELF).first()
            )
    response = render(request, "editor/row.html", {"row": row, "software": software}, status=status)
    if status == 200:
        response["HX-Trigger"] = "claim-saved"
    return response


@require_POST
def preview(request, slug: str):
    """The verdicts the posted (unsaved) form would give, for the live preview."""
    software = maintained(request, slug)
    own, doap, claims = _claims(software)
    rows = _rows(request.POST, own, doap)
    year, reaches = _preview(software, claims, rows, EntryForm(request.POST))
    return render(request, "editor/preview.html", {"year": year, "reaches": reaches})


@require_POST
def reimport(request, slug: str):
    software = maintained(request, slug)
    if not software.doap_url:
        messages.error(request, "Set a DOAP URL and save first.")
    else:
        try:
            result = import_doap(software.doap_url, role=software.role)
        except DoapError as exc:
            messages.error(request, f"The DOAP file was not imported: {exc}")
        else:
            messages.success(request, f"Imported {result.claims} claims from the DOAP file.")
    return redirect("software-edit", slug=software.slug)
