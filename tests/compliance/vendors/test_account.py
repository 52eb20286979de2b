"""The account page: the entries a user maintains, the servers they own (each linked to its
page and its settings), and a link to their API tokens."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from compliance.models import ProbedServer, ServerOwner

pytestmark = pytest.mark.django_db


def own(user, domain: str, **fields) -> ServerOwner:
    server, _ = ProbedServer.objects.get_or_create(domain=domain)
    return ServerOwner.objects.create(server=server, user=user, how="a test", **fields)


def page_of(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/account/")
    assert response.status_code == 200
    return response.content.decode()


def servers_section(page: str) -> str:
    return re.search(r'<section id="servers">(.*?)</section>', page, re.S).group(1)


def test_it_links_to_the_api_tokens_page(vendor):
    assert '<a href="/api/tokens/">API tokens</a>' in page_of(vendor)


def test_it_lists_the_servers_the_user_owns_and_no_one_elses(vendor, make_user):
    own(vendor, "xmpp.vendor.example", reprobe_daily=True)
    own(vendor, "chat.vendor.example")
    own(make_user("other"), "other.example")
    section = servers_section(page_of(vendor))
    links = re.findall(r'<a href="(/servers/[^"]+)">([^<]+)</a>', section)
    assert links == [
        ("/servers/chat.vendor.example/", "chat.vendor.example"),
        ("/servers/chat.vendor.example/settings/", "settings"),
        ("/servers/xmpp.vendor.example/", "xmpp.vendor.example"),
        ("/servers/xmpp.vendor.example/settings/", "settings"),
    ]
    assert section.count("probed daily") == 1
    assert "other.example" not in section


def test_without_servers_it_says_how_to_own_one(vendor):
    section = servers_section(page_of(vendor))
    assert "None yet" in section
    assert 'href="/probe/"' in section


def queries_of_page(user, servers: int) -> int:
    ServerOwner.objects.filter(user=user).delete()
    for i in range(servers):
        own(user, f"s{i:03d}.example")
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/account/")
    assert response.content.decode().count("/settings/") == servers
    return len(queries)


def test_the_page_asks_the_same_queries_for_5_and_100_servers(vendor):
    assert queries_of_page(vendor, 5) == queries_of_page(vendor, 100)
