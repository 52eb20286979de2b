"""The OpenAPI schema and the browsable docs, served from our own static files under the
site's Content-Security-Policy."""

import re

from django.contrib.staticfiles import finders

PATHS = {
    "/api/v1/",
    "/api/v1/suites/",
    "/api/v1/suites/{year}/",
    "/api/v1/software/",
    "/api/v1/software/{slug}/",
    "/api/v1/software/{slug}/verdicts/",
    "/api/v1/software/{slug}/history/",
    "/api/v1/software/{slug}/claims/{spec}/",
    "/api/v1/software/{slug}/doap/",
    "/api/v1/compare/{year}/{category}/{level}/",
    "/api/v1/specs/",
    "/api/v1/specs/{spec}/",
    "/api/v1/export/",
    "/api/v1/servers/",
    "/api/v1/servers/{domain}/",
    "/api/v1/probe-runs/",
    "/api/v1/probe-runs/{key}/",
}


def test_it_serves_an_openapi_3_schema_of_every_endpoint(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == PATHS
    errors = schema["paths"]["/api/v1/software/"]["get"]["responses"]
    assert {"400", "404", "429"} <= set(errors)


def test_it_serves_the_docs_without_inline_code_or_a_cdn(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html), "an inline script"
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    assert "default-src 'self'" in response["Content-Security-Policy"]
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source


def test_it_serves_the_docs_script_as_javascript(api):
    response = api.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"/api/v1/schema/" in response.content
