"""The project's URLs and /bench/constant.svg, the simplest Django view: a constant SVG; and the
same view on the lean path badges take (compliance/lean.py), /badge/bench/constant.svg."""

from django.http import HttpResponse
from django.urls import path

from compliance.lean import lean_path
from dashboard.urls import urlpatterns as project

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="20"><text>ok</text></svg>'


def constant(request):
    return HttpResponse(SVG, content_type="image/svg+xml")


@lean_path
def lean_constant(request):
    return HttpResponse(SVG, content_type="image/svg+xml")


urlpatterns = [
    path("bench/constant.svg", constant),
    path("badge/bench/constant.svg", lean_constant),
    *project,
]
