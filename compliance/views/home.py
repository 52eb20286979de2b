from django.shortcuts import render

from compliance import catalogue


def home(request):
    suite = catalogue.suite(catalogue.latest_year())
    return render(request, "home.html", {"suite": suite})
