"""The DOAP export: /software/<slug>.doap, an entry and its claims as a XEP-0453 file."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from compliance.doap.export import export_doap
from compliance.models import Software

CONTENT_TYPE = "application/rdf+xml; charset=utf-8"


@require_safe
def export(request, slug: str):
    software = get_object_or_404(Software, slug=slug)
    body = export_doap(software, software.claims.order_by())
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{software.slug}.doap"'
    return response
