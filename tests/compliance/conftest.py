"""Fixtures of the compliance app's tests."""

import pytest

from compliance.doap.importer import import_doap
from tests.compliance.registry.registry_site import build
from tests.servers.http import ThreadedSite


@pytest.fixture
def prosody(doap_dir, db):
    return import_doap(str(doap_dir / "prosody.doap"))


@pytest.fixture
def http_server(settings):
    """A loopback HTTP server whose network DOAP fetches may reach: (base URL, files), where
    files maps a path to (status, body, headers)."""
    settings.DOAP_FETCH_ALLOW_NETWORKS = ["127.0.0.0/8"]
    with ThreadedSite() as site:
        yield site.url, site.files


@pytest.fixture
def registry(settings, doap_dir):
    """The test registry (tests/compliance/registry/registry_site.py) on a loopback server,
    fetches bounded at 1 s."""
    settings.DOAP_FETCH_ALLOW_NETWORKS = ["127.0.0.0/8"]
    settings.DOAP_FETCH_TIMEOUT = 1.0
    with ThreadedSite() as site:
        settings.REGISTRY_DOAP_BASE = site.url
        settings.REGISTRY_URL = site.url + "/data/software.json"
        yield build(site, doap_dir)
