"""A suite feature and the entries that meet it, linked from the suite pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.compliance.factories import CORE_CLIENT, IM_CLIENT, make_many, make_software

pytestmark = pytest.mark.django_db


def test_the_suite_page_links_each_feature(client):
    page = client.get("/suites/2023/").content.decode()
    assert '<a class="spec-index" href="/suites/2023/im/1/">(entries that meet it)</a>' in page


def test_a_feature_lists_who_meets_it_per_level(client):
    make_software("Chatty", specs=CORE_CLIENT + IM_CLIENT)
    make_software("Halfy", specs=CORE_CLIENT + IM_CLIENT, status="partial")
    make_software("Bare", specs=["RFC 6120"])
    make_software("Serverly", role="server", specs=["RFC 6121"])
    page = client.get("/suites/2023/im/1/").content.decode()
    assert "<h1>Core features" in page
    client_level = page.split('<section id="client">')[1].split("</section>")[0]
    assert '<a href="/software/chatty/">Chatty</a>' in client_level
    assert 'Halfy</a> <span class="muted">relying on partial support' in client_level
    assert "Bare" not in client_level
    assert "Serverly" not in client_level
    server_level = page.split('<section id="server">')[1].split("</section>")[0]
    assert "Serverly" in server_level


@pytest.mark.parametrize(
    "path",
    ["/suites/2023/im/0/", "/suites/2023/im/99/", "/suites/2019/av/1/", "/suites/1999/im/1/"],
)
def test_unknown_features_are_404(client, path):
    assert client.get(path).status_code == 404


def test_queries_do_not_grow_with_rows(client):
    make_many(5)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/suites/2023/im/1/").status_code == 200
    make_many(95, role="server")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/suites/2023/im/1/").status_code == 200
    assert len(few) == len(many)
