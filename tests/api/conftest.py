"""Fixtures of the API tests: a client, throttling out of the way, and JSON fixture files."""

import json
import os
import re
from pathlib import Path

import pytest
from rest_framework.test import APIClient

FIXTURES = Path(__file__).parent / "fixtures"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture(autouse=True)
def generous_rates(settings):
    settings.API_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}


@pytest.fixture
def api():
    return APIClient()


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
