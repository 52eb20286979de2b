"""Suite pages render the tables as the XEPs show them, and what changed."""


def test_the_list_links_every_year(client):
    response = client.get("/suites/")
    assert response.status_code == 200
    for year in (2019, 2020, 2021, 2022, 2023):
        assert f'href="/suites/{year}/"' in response.content.decode()


def test_a_suite_page_shows_cells_in_words_notes_and_links(client):
    page = client.get("/suites/2022/").content.decode()
    assert "XMPP Compliance Suites 2022" in page
    assert '<span aria-hidden="true">✓</span> required' in page
    assert '<span aria-hidden="true">✕</span> not required' in page
    assert "N/A" in page
    assert "Not required for command line or terminal based interfaces." in page
    assert "Only one of the recommended providers must be implemented for compliance." in page
    assert 'href="https://xmpp.org/extensions/xep-0402.html"' in page
    assert 'href="https://www.rfc-editor.org/rfc/rfc6120"' in page
    assert "PEP Native Bookmarks" in page
    assert "urn:xmpp:bookmarks:1#compat" in page
    assert "Renamed &quot;Core Client&quot; and &quot;Core Server&quot;" in page
    assert "providers added: XEP-0402" in page


def test_the_first_year_explains_its_missing_changelog(client):
    page = client.get("/suites/2019/").content.decode()
    assert "XEP-0412 has no" in page


def test_an_unknown_year_is_404(client):
    assert client.get("/suites/2018/").status_code == 404
