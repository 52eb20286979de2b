from django.urls import path

from compliance.views import home, suites

urlpatterns = [
    path("", home.home, name="home"),
    path("suites/", suites.suite_list, name="suite-list"),
    path("suites/<int:year>/", suites.suite_detail, name="suite-detail"),
]
