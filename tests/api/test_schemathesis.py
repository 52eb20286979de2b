"""Schemathesis over the OpenAPI schema: every operation, positive and negative input, against
the app in process (WSGI): no 500, and every response conforms to the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from compliance.models import ProbedServer
from tests.api.conftest import connection_kept_open
from tests.compliance.factories import CORE_CLIENT, make_software
from tests.compliance.probing.runs import add_run

# Loaded when the tests are collected (pytest-django has set Django up; the schema view reads
# no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=25
)


@pytest.fixture
def chatty(db):
    """An entry and a probed server (the schema's example domain) to find; the database
    connection kept open between the app's requests (as Django's test client does), since the
    test's transaction holds it."""
    with connection_kept_open():
        server = ProbedServer.objects.create(domain="example.org")
        add_run(server, {"rfc6120-stream": "pass", "xep0313-mam": "fail"}, software_name="Prosody")
        yield make_software("Chatty", specs=CORE_CLIENT, platforms=["Linux"], current_version="1.0")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_answers_every_operation_as_its_schema_says(case, chatty):
    # The export is gzipped when asked for; the WSGI transport would not decode it.
    # A probe's domain is refused for what no schema says (its IDNA form, its DNS, an account
    # on another domain): a 400 with the reason is right there, for schema-valid input too.
    excluded = [positive_data_acceptance] if case.operation.path == "/api/v1/probe-runs/" else []
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=excluded)
