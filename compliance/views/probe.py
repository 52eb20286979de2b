"""/probe/ (submit a server) and /probe/runs/<key>/ (its run: live progress, then the results).

The run page polls its progress partial every second with htmx and stops when the run ends
(the partial then asks for a full refresh); without JavaScript the page refreshes itself.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from compliance.models import ProbeRun
from compliance.pages import probe_run as page
from compliance.probing.forms import ProbeForm
from compliance.probing.ownership import can_see_evidence, remember_run
from compliance.probing.submit import Refused, submit

REFRESH_SECONDS = 3  # without JavaScript


# An error report (the admins' mail) shows neither the posted password nor, in the frames
# below this view (submit's), a local named data or password.
@sensitive_post_parameters("password")
@sensitive_variables("data", "password")
def probe_form(request):
    form = ProbeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = submit(
                data["domain"],
                jid=data["jid"],
                password=data["password"],
                user=request.user,
                client_address=request.META.get("REMOTE_ADDR", ""),
            )
        except Refused as exc:
            form.add_error(None, str(exc))
            status = 429 if exc.retry_at else 400
        else:
            remember_run(request.session, run)
            return redirect("probe-run", key=run.key)
    elif request.method == "POST":
        status = 400
    return render(request, "probe/form.html", {"form": form}, status=status)


def _run(key) -> ProbeRun:
    return get_object_or_404(ProbeRun.objects.select_related("server"), key=key)


def _context(request, run: ProbeRun) -> dict:
    lines = page.result_lines(run)
    done = page.checks_done(run, lines)
    return {
        "run": run,
        "lines": lines,
        "done": done,
        "percent": round(100 * done / run.total_checks) if run.total_checks else 0,
        "evidence_visible": can_see_evidence(run, request.user, request.session),
        "refresh_seconds": REFRESH_SECONDS,
    }


@never_cache
def run_page(request, key):
    run = _run(key)
    context = _context(request, run)
    if not run.active:
        context["verdict_rows"] = page.verdict_rows(run)
    return render(request, "probe/run.html", context)


@never_cache
def run_progress(request, key):
    run = _run(key)
    response = render(request, "probe/progress.html", _context(request, run))
    if not run.active and request.htmx:
        response["HX-Refresh"] = "true"  # the whole page, with the verdicts
    return response
