"""Badges: well-formed SVG, escaping, caching headers, shields JSON, the grey unknown badge."""

import json
import locale
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from compliance.claims import write_claims
from compliance.models import Software
from tests.compliance.factories import CORE_CLIENT, CORE_SERVER, IM_CLIENT, TEST, make_software
from tests.compliance.svg import SVG_NS, texts


@pytest.fixture
def entries(db):
    make_software("Good Client", specs=CORE_CLIENT + IM_CLIENT)
    make_software("Partial Client", specs=CORE_CLIENT + IM_CLIENT, status="partial")
    make_software("Bare Server", role="server", specs=CORE_SERVER[:2])
    make_software("Lib", role="library", specs=CORE_CLIENT)


@pytest.mark.parametrize(
    ("slug", "path", "label", "message"),
    [
        ("good-client", "2022/im/client", "XMPP 2022 · IM · Client", "compliant"),
        ("partial-client", "2022/im/client", "XMPP 2022 · IM · Client", "compliant*"),
        (
            "good-client",
            "2022/im/advanced-client",
            "XMPP 2022 · IM · Advanced Client",
            "not compliant",
        ),
        (  # a server's badge says its basis: the probe judges servers
            "bare-server",
            "2019/core/server",
            "XMPP 2019 · Core · Server",
            "not compliant · self-assessed",
        ),
        ("lib", "2023/core/client", "XMPP 2023 · Core · Client (library)", "compliant"),
    ],
)
def test_it_serves_the_verdict(client, entries, slug, path, label, message):
    svg = client.get(f"/badge/{slug}/{path}.svg")
    assert svg["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert texts(svg.content.decode()) == [label, label, message, message]
    data = client.get(f"/badge/{slug}/{path}.json").json()
    assert (data["label"], data["message"]) == (label, message)


def test_it_says_self_assessed_in_the_title(client, entries):
    svg = client.get("/badge/good-client/2022/im/client.svg").content.decode()
    title = ET.fromstring(svg).find(f"{SVG_NS}title").text
    assert title == "Good Client: XMPP 2022 · IM · Client: compliant (self-assessed)"


@pytest.mark.parametrize(
    "path",
    [
        "/badge/nobody/2022/im/client.svg",
        "/badge/good-client/2018/im/client.svg",
        "/badge/good-client/year/im/client.svg",
        "/badge/good-client/2019/av/client.svg",
        "/badge/good-client/2022/chat/client.svg",
        "/badge/good-client/2022/im/expert.svg",
        "/badge/good-client/2022/im/server.svg",
    ],
)
def test_unknown_software_or_cells_get_a_grey_unknown_badge(client, entries, path):
    response = client.get(path)
    assert response.status_code == 200
    svg = response.content.decode()
    assert texts(svg)[-1] == "unknown"
    assert 'fill="#707070"' in svg
    data = client.get(path.replace(".svg", ".json")).json()
    assert (data["message"], data["color"]) == ("unknown", "707070")


def test_a_partial_reliance_is_said_in_the_title(client, entries):
    svg = client.get("/badge/partial-client/2022/im/client.svg").content.decode()
    title = ET.fromstring(svg).find(f"{SVG_NS}title").text
    assert title.startswith("Partial Client: XMPP 2022 · IM · Client: compliant* (self-assessed; ")
    assert "relies on partial support of RFC 6120, RFC 6121" in title


def test_an_entry_without_data_gets_a_grey_unknown_badge(client, entries):
    make_software("Empty", specs=[])
    svg = client.get("/badge/empty/2022/im/client.svg").content.decode()
    assert texts(svg)[-1] == "unknown"
    assert 'fill="#707070"' in svg
    title = ET.fromstring(svg).find(f"{SVG_NS}title").text
    assert "Empty: no data, it claims nothing on a spec the suites name" in title


def test_latest_is_the_newest_year(client, entries):
    svg = client.get("/badge/good-client/latest/im/client.svg").content.decode()
    assert texts(svg)[:1] == ["XMPP 2023 · IM · Client"]
    assert texts(svg)[-1] == "compliant"


@pytest.mark.parametrize(
    ("slug", "year", "message", "fill"),
    [
        ("good-client", "latest", "Core · IM", "#2e7d32"),
        ("good-client", "2019", "Core · IM", "#2e7d32"),
        ("bare-server", "latest", "no level reached", "#c62828"),
        ("nobody", "latest", "unknown", "#707070"),
        ("good-client", "1999", "unknown", "#707070"),
    ],
)
def test_the_summary_badge_says_the_highest_level_per_category(
    client, entries, slug, year, message, fill
):
    svg = client.get(f"/badge/{slug}/{year}.svg").content.decode()
    assert texts(svg)[-1] == message
    assert f'fill="{fill}"' in svg
    data = client.get(f"/badge/{slug}/{year}.json").json()
    assert data["message"] == message


def test_the_summary_badge_title_names_every_category(client, entries):
    svg = client.get("/badge/lib/latest.svg").content.decode()
    title = ET.fromstring(svg).find(f"{SVG_NS}title").text
    assert title.startswith("Lib: XMPP 2023: Core Client (library); Web none; IM none;")


def test_headers_cache_and_cors(client, entries):
    response = client.get("/badge/good-client/2022/im/client.svg")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"].startswith('"')


def test_a_matching_if_none_match_gets_304(client, entries):
    etag = client.get("/badge/good-client/2022/im/client.svg")["ETag"]
    again = client.get("/badge/good-client/2022/im/client.svg", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    weak = client.get(
        "/badge/good-client/2022/im/client.svg", headers={"If-None-Match": f'"other", W/{etag}'}
    )
    assert weak.status_code == 304
    other = client.get(
        "/badge/good-client/2022/im/client.svg", headers={"If-None-Match": '"other"'}
    )
    assert other.status_code == 200


def test_the_etag_changes_with_the_verdict(client, entries):
    etag = client.get("/badge/good-client/2022/im/client.svg")["ETag"]
    good = Software.objects.get(slug="good-client")
    write_claims(good, actor=TEST, remove=[("XEP-0363", "doap")])
    response = client.get("/badge/good-client/2022/im/client.svg", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert texts(response.content.decode())[-1] == "not compliant"


def test_a_software_named_script_cannot_inject(client, db):
    make_software("<script>alert(1)</script>", slug="evil", specs=CORE_CLIENT)
    svg = client.get("/badge/evil/2022/core/client.svg").content.decode()
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    ET.fromstring(svg)


def test_only_safe_methods(client, entries):
    assert client.post("/badge/good-client/2022/im/client.svg").status_code == 405


def test_json_is_json(client, entries):
    response = client.get("/badge/good-client/2022/im/client.json")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["schemaVersion"] == 1


def test_a_slug_that_cannot_exist_gets_the_unknown_badge(client, db):
    response = client.get("/badge/a%00b/2022/im/client.svg")
    assert response.status_code == 200
    assert texts(response.content.decode())[-1] == "unknown"


def test_numbers_do_not_depend_on_the_locale(client, entries):
    url = "/badge/partial-client/2022/im/client.svg"
    english = client.get(url).content
    with translation.override("de"):  # a German template would write 12,5 for 12.5
        assert client.get(url, headers={"Accept-Language": "de"}).content == english
    original = locale.setlocale(locale.LC_ALL)
    for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"):
        try:
            locale.setlocale(locale.LC_ALL, name)
        except locale.Error:
            continue
        try:
            assert client.get(url).content == english
        finally:
            locale.setlocale(locale.LC_ALL, original)
    positions = [t.get("x") for t in ET.fromstring(english).iter(f"{SVG_NS}text")]
    assert all(re.fullmatch(r"[0-9]+\.[0-9]", x) for x in positions), positions


def test_the_title_says_as_of_which_version(client, entries):
    Software.objects.filter(slug="good-client").update(current_version="4.2")
    svg = client.get("/badge/good-client/2022/im/client.svg").content.decode()
    assert "(self-assessed, as of version 4.2)</title>" in svg
