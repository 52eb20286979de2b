from django.urls import path, re_path

from compliance.views import (
    account,
    badge,
    compare,
    doap,
    editor,
    history,
    home,
    maintainers,
    ownership,
    probe,
    registry,
    side_by_side,
    software,
    specs,
    suites,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("suites/", suites.suite_list, name="suite-list"),
    path("suites/<int:year>/", suites.suite_detail, name="suite-detail"),
    path(
        "suites/<int:year>/<str:category>/<int:number>/",
        suites.feature_detail,
        name="suite-feature",
    ),
    path("compare/", compare.compare_index, name="compare-index"),
    path("compare/entries/", side_by_side.side_by_side_page, name="compare-entries"),
    path("compare/<int:year>/<str:category>/<str:level>/", compare.compare, name="compare"),
    path(
        "compare/<int:year>/<str:category>/<str:level>.csv", compare.compare_csv, name="compare-csv"
    ),
    path("registry/", registry.registry_list, name="registry-list"),
    path("specs/", specs.spec_list, name="spec-list"),
    path("specs/<str:spec>/", specs.spec_detail, name="spec-detail"),
    path("software/", software.software_list, name="software-list"),
    path("software/<slug:slug>.doap", doap.export, name="software-doap"),
    path("software/<slug:slug>/logo", software.logo, name="software-logo"),
    path("software/<slug:slug>/", software.software_detail, name="software-detail"),
    path("software/<slug:slug>/history/", history.history, name="software-history"),
    path("software/<slug:slug>/history.atom", history.HistoryFeed(), name="software-history-feed"),
    path("software/<slug:slug>/maintain/", ownership.maintain, name="software-maintain"),
    path("software/<slug:slug>/maintainers/", maintainers.maintainers, name="software-maintainers"),
    path(
        "software/<slug:slug>/maintainers/remove/",
        maintainers.remove,
        name="software-maintainer-remove",
    ),
    path("software/<slug:slug>/edit/", editor.edit, name="software-edit"),
    path("software/<slug:slug>/edit/preview/", editor.preview, name="software-edit-preview"),
    path("software/<slug:slug>/edit/reimport/", editor.reimport, name="software-reimport"),
    path(
        "software/<slug:slug>/edit/claims/<str:spec>/",
        editor.save_claim,
        name="software-edit-claim",
    ),
    path("probe/", probe.probe_form, name="probe-submit"),
    path("probe/runs/<uuid:key>/", probe.run_page, name="probe-run"),
    path("probe/runs/<uuid:key>/progress/", probe.run_progress, name="probe-run-progress"),
    path("account/", account.account_home, name="account-home"),
    path("account/entries/new/", account.new_entry, name="account-new-entry"),
    path("account/invitations/<str:token>/", maintainers.accept, name="invitation-accept"),
    re_path(
        r"^badge/(?P<slug>[^/]+)/(?P<year>[^/]+)/(?P<category>[^/]+)/"
        r"(?P<level>[^/]+)\.(?P<ext>svg|json)$",
        badge.badge,
        name="badge",
    ),
    re_path(
        r"^badge/(?P<slug>[^/]+)/(?P<year>[^/]+)\.(?P<ext>svg|json)$",
        badge.summary,
        name="badge-summary",
    ),
]
