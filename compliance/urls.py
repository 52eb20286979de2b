from django.urls import path, re_path

from compliance.views import badge, compare, doap, home, registry, software, specs, suites

urlpatterns = [
    path("", home.home, name="home"),
    path("suites/", suites.suite_list, name="suite-list"),
    path("suites/<int:year>/", suites.suite_detail, name="suite-detail"),
    path("compare/", compare.compare_index, name="compare-index"),
    path("compare/<int:year>/<str:category>/<str:level>/", compare.compare, name="compare"),
    path(
        "compare/<int:year>/<str:category>/<str:level>.csv", compare.compare_csv, name="compare-csv"
    ),
    path("registry/", registry.registry_list, name="registry-list"),
    path("specs/", specs.spec_list, name="spec-list"),
    path("specs/<str:spec>/", specs.spec_detail, name="spec-detail"),
    path("software/", software.software_list, name="software-list"),
    path("software/<slug:slug>.doap", doap.export, name="software-doap"),
    path("software/<slug:slug>/", software.software_detail, name="software-detail"),
    re_path(
        r"^badge/(?P<slug>[^/]+)/(?P<year>[^/]+)/(?P<category>[^/]+)/"
        r"(?P<level>[^/]+)\.(?P<ext>svg|json)$",
        badge.badge,
        name="badge",
    ),
]
