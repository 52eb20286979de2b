"""/api/: the versioned API (v1), its OpenAPI schema and its docs. Every GET has an ETag and
answers If-None-Match with 304."""

from django.middleware.http import ConditionalGetMiddleware
from django.urls import include, path, re_path
from django.utils.decorators import decorator_from_middleware
from drf_spectacular.views import SpectacularAPIView

from api import doap, docs, probing, servers, tokenpages, views, writes
from api.readings import served_early

conditional = decorator_from_middleware(ConditionalGetMiddleware)


def get(view_class):
    return conditional(view_class.as_view())


def early(view_class):
    """A hot read: its cached reading served before DRF when it can be (api/readings.py)."""
    return conditional(served_early(view_class))


v1 = [
    path("", get(views.Index), name="api-index"),
    path("schema/", conditional(SpectacularAPIView.as_view()), name="api-schema"),
    path("suites/", get(views.SuiteList), name="api-suites"),
    path("suites/<int:year>/", get(views.SuiteDetail), name="api-suite"),
    path("software/", get(views.SoftwareList), name="api-software-list"),
    path("software/<slug:slug>/", early(views.SoftwareDetail), name="api-software-detail"),
    path(
        "software/<slug:slug>/verdicts/",
        early(views.SoftwareVerdicts),
        name="api-software-verdicts",
    ),
    path("software/<slug:slug>/history/", get(views.SoftwareHistory), name="api-software-history"),
    path(
        "software/<slug:slug>/claims/<str:spec>/",
        conditional(writes.ClaimWrite.as_view()),
        name="api-claim",
    ),
    path("software/<slug:slug>/doap/", doap.DoapUpload.as_view(), name="api-software-doap"),
    path("compare/<int:year>/<str:category>/<str:level>/", get(views.Compare), name="api-compare"),
    path("specs/", get(views.SpecList), name="api-specs"),
    path("specs/<str:spec>/", get(views.SpecDetail), name="api-spec"),
    path("export/", get(views.Export), name="api-export"),
    path("servers/", get(servers.ServerList), name="api-servers"),
    path("servers/<str:domain>/", get(servers.ServerDetail), name="api-server"),
    path("probe-runs/", conditional(probing.ProbeRuns.as_view()), name="api-probe-runs"),
    path("probe-runs/<uuid:key>/", get(probing.ProbeRunDetail), name="api-probe-run"),
    re_path(r"^[\s\S]*$", docs.not_found),  # any other address, newlines too
]

urlpatterns = [
    path("v1/", include(v1)),
    path("docs/", docs.swagger, name="api-docs"),
    path("tokens/", tokenpages.tokens, name="api-tokens"),
    path("tokens/<int:pk>/revoke/", tokenpages.revoke, name="api-token-revoke"),
]
