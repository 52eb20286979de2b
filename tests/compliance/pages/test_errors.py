"""Error pages in the site's layout, with navigation and a search box; close names of entries."""

import pytest
from django.template.loader import render_to_string

from tests.compliance.factories import make_software

pytestmark = pytest.mark.django_db
NAV = '<nav aria-label="Main">'
SEARCH = '<form class="search" method="get" action="/software/" role="search">'


@pytest.fixture
def entries():
    make_software("Prosody IM", slug="prosody-im")
    make_software("ejabberd")
    make_software("Gajim")
    make_software("Dino")


@pytest.mark.parametrize("path", ["/nowhere/", "/compare/2018/im/client/", "/suites/1999/"])
def test_a_404_is_in_the_sites_layout(client, path):
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert NAV in page
    assert SEARCH in page
    assert "<h1>Not found</h1>" in page
    assert 'name="viewport"' in page


def test_a_close_name_redirects_to_the_one_entry_it_names(client, entries):
    response = client.get("/software/prosody/")
    assert response.status_code == 302
    assert response["Location"] == "/software/prosody-im/"
    assert client.get("/software/ejaberd/")["Location"] == "/software/ejabberd/"


def test_an_unknown_name_suggests_the_closest(client, entries):
    make_software("Gajim Nightly", slug="gajim-nightly")
    response = client.get("/software/gaji/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<a href="/software/gajim/">Gajim</a>' in page
    assert '<a href="/software/gajim-nightly/">Gajim Nightly</a>' in page
    assert 'value="gaji"' in page  # the search box is filled in
    assert client.get("/software/zzzzzz/").status_code == 404


@pytest.mark.parametrize(
    ("template", "title"), [("500.html", "Something went wrong"), ("400.html", "Bad request")]
)
def test_400_and_500_pages_render_without_a_request(template, title):
    page = render_to_string(template)  # Django renders 500.html with no request and no context
    assert title in page
    assert NAV in page
    assert SEARCH in page
