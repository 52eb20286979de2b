"""/servers/ (every probed server) and /servers/<domain>/ (one server: its latest verdicts and
results, its runs, since when each outcome holds, the chart of checks passed)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from compliance.display.run_chart import render_run_chart
from compliance.models import ProbedServer
from compliance.pages.probe_run import verdict_rows
from compliance.pages.servers import find_server, server_list, server_page
from compliance.probing.ownership import can_see_evidence, owner_row
from compliance.probing.submit import Refused, normalize_domain


def servers(request):
    return render(request, "servers/list.html", {"rows": server_list()})


def canonical_or_404(domain: str, view: str):
    """The same page at the domain's A-label form (for a U-label or upper case), else 404."""
    try:
        canonical = normalize_domain(domain)
    except Refused:
        canonical = ""
    if canonical and canonical != domain and ProbedServer.objects.filter(domain=canonical):
        return redirect(view, canonical, permanent=True)
    raise Http404("No server of that domain was probed.")


def server_detail(request, domain: str):
    server = find_server(domain)
    if server is None:
        return canonical_or_404(domain, "server-detail")
    page = server_page(server)
    points = page.chart_points
    chart = render_run_chart(points, title=f"Checks passed by {server.domain}") if points else ""
    context = {
        "page": page,
        "server": server,
        "verdict_rows": verdict_rows(page.latest) if page.latest else [],
        "chart": mark_safe(chart),  # built with every text escaped (display/run_chart.py)
        "evidence_visible": page.latest is not None
        and can_see_evidence(page.latest, request.user, request.session),
        "owner": owner_row(server, request.user),
    }
    return render(request, "servers/detail.html", context)
