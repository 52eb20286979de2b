"""Fixtures of the API tests: a client, throttling out of the way, a maintainer of the module's
`chatty` entry and their tokens, and JSON fixture files."""

import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.test import APIClient

from api.models import ApiToken
from compliance.history import Actor
from compliance.vendors.maintainers import add_maintainer

FIXTURES = Path(__file__).parent / "fixtures"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture(autouse=True)
def generous_rates(settings):
    settings.API_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def vendor(make_user, chatty):
    """A maintainer of the test module's own `chatty` entry."""
    user = make_user("vendor")
    add_maintainer(chatty, user, actor=Actor("a test"), how="a test")
    return user


def token_of(user, name="CI") -> str:
    return ApiToken.issue(user, name)[1]


@contextmanager
def connection_kept_open():
    """The database connection kept open between the app's requests, as Django's test client
    does (for Schemathesis calling the WSGI app: the test's transaction holds the connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def stable(value):
    """The response with what changes from run to run (timestamps) replaced by '<time>'."""
    if isinstance(value, dict):
        return {key: stable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stable(item) for item in value]
    if isinstance(value, str) and TIMESTAMP.match(value):
        return "<time>"
    return value


def matches_fixture(data, name: str) -> bool:
    """Whether the JSON equals tests/api/fixtures/<name>.json (timestamps aside). With
    API_FIXTURES_WRITE=1 the file is (re)written from the response instead: review the diff."""
    path = FIXTURES / f"{name}.json"
    data = stable(json.loads(json.dumps(data)))
    if os.environ.get("API_FIXTURES_WRITE") == "1":
        FIXTURES.mkdir(exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert data == expected, f"differs from {path.name}"
    return True
