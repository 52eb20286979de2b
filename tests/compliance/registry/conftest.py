"""Fixtures of the registry tests: the loopback registry, and the settings that point at it."""

import pytest

from tests.compliance.registry.registry_site import build
from tests.servers.http import ThreadedSite


@pytest.fixture
def registry(settings, doap_dir):
    """The test registry on a loopback server, fetches bounded at 1 s."""
    settings.DOAP_FETCH_ALLOW_NETWORKS = ["127.0.0.0/8"]
    settings.DOAP_FETCH_TIMEOUT = 1.0
    with ThreadedSite() as site:
        settings.REGISTRY_DOAP_BASE = site.url
        settings.REGISTRY_URL = site.url + "/data/software.json"
        yield build(site, doap_dir)
