"""The registry page and the home page's account of where the data comes from."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import RegistryEntry, RegistrySync
from compliance.registry.sync import SyncFailed, sync_registry
from tests.compliance.factories import make_software

pytestmark = pytest.mark.django_db


def test_the_home_page_says_where_the_data_comes_from(client, registry):
    assert "has not been synced yet" in client.get("/").content.decode()
    sync_registry()
    page = client.get("/").content.decode()
    assert "194 entries of the" in page
    assert "13 of them judged" in page
    assert "74 entries could not be fetched or read" in page
    run = RegistrySync.objects.get()
    assert f"Last sync {run.finished_at:%Y-%m-%d %H:%M} UTC" in page


def test_a_failed_sync_is_shown(client, registry):
    sync_registry()
    registry.site.files["/data/software.json"] = (200, b"{}", {})
    with pytest.raises(SyncFailed, match="not a JSON list"):
        sync_registry()
    page = client.get("/").content.decode()
    assert "<strong>failed</strong> (" in page
    assert "not a JSON list" in page


def test_the_registry_page_lists_every_entry_and_what_became_of_it(client, registry):
    sync_registry()
    registry.publish([e for e in registry.entries if e["name"] != "Dino"])
    sync_registry()
    page = client.get("/registry/").content.decode()
    assert "194 registry entries" in page
    assert '<a href="/software/prosody-im/">Prosody IM</a></th>' in page
    assert "<td>server</td>" in page
    assert 'href="https://adium.im" rel="nofollow">homepage</a> · macOS' in page
    assert "no DOAP: not judged" in page
    assert "no longer in the registry</strong>" in page
    assert "answered HTTP 404" in page
    only = client.get("/registry/?state=removed").content.decode()
    assert "1 registry entry" in only
    assert "Dino" in only
    judged = client.get("/registry/?state=judged").content.decode()
    assert "12 registry entries" in judged
    assert client.get("/registry/?state=bogus").status_code == 400


def make_entries(count: int, offset: int = 0) -> None:
    for i in range(offset, offset + count):
        software = make_software(f"Registry {i:03d}") if i % 2 else None
        RegistryEntry.objects.create(
            name=f"Registry {i:03d}",
            software=software,
            state="judged" if software else "no_doap",
            categories=["client"],
            homepage="https://example.org/",
        )


@pytest.mark.parametrize("url", ["/registry/", "/"])
def test_registry_queries_do_not_grow_with_rows(client, url):
    make_entries(5)
    RegistrySync.objects.create(url="https://example.org/", running=False, counts={"failed": 1})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    make_entries(95, offset=5)
    assert count() == few
