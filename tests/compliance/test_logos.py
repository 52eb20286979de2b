"""Logos: read from the DOAP file, fetched through the guarded client, capped, SVG cleaned."""

import pytest
from django.core.management import call_command

from compliance.doap.parse import parse_doap
from compliance.logos import MAX_BYTES, LogoRefused, accept_logo, clean_svg, fetch_logos
from compliance.models import Software
from tests.compliance.factories import make_software

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
  viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>
  <style>@import url(https://tracker.example/x.css);</style>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
  <defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>
  <a href="https://example.org/"><rect width="5" height="5"/></a>
  <image xlink:href="https://tracker.example/pixel.png"/>
  <use xlink:href="#g"/><circle r="4" fill="url(#g)" onclick="alert(3)" style="x"/>
  <rect fill="url(https://tracker.example/p)"/></svg>"""


def test_it_reads_the_logo_of_the_real_doap_files(doap_dir):
    prosody = parse_doap((doap_dir / "prosody.doap").read_bytes())
    assert prosody.logo == "https://prosody.im/prosody.svg"
    movim = parse_doap((doap_dir / "movim.doap").read_bytes())
    assert movim.logo == "https://movim.eu/img/vectorial.svg"
    assert parse_doap((doap_dir / "swift.doap").read_bytes()).logo == ""


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 16, "image/jpeg"),
        (b"GIF89a" + b"\0" * 16, "image/gif"),
        (b"RIFF\0\0\0\0WEBPVP8 " + b"\0" * 16, "image/webp"),
    ],
)
def test_rasters_are_known_by_their_first_bytes(data, content_type):
    assert accept_logo(data) == (data, content_type)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (PNG + b"\0" * MAX_BYTES, "over 256 KiB"),
        (b"<html><body>not an image</body></html>", "neither a PNG"),
        (b"plain text", "could not be read"),
        (
            b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "could not be read",
        ),
    ],
)
def test_anything_else_is_refused_with_the_reason(data, reason):
    with pytest.raises(LogoRefused, match=reason):
        accept_logo(data)


def test_an_svg_keeps_only_its_drawing():
    cleaned = clean_svg(SVG).decode()
    for gone in (
        "script",
        "alert",
        "onload",
        "onclick",
        "foreignObject",
        "style",
        "tracker",
        "<a ",
    ):
        assert gone not in cleaned, gone
    assert '<circle r="4" fill="url(#g)"' in cleaned
    assert 'xlink:href="#g"' in cleaned
    assert "<linearGradient" in cleaned


@pytest.fixture
def entries(db):
    with_logo = make_software("Pictured", logo_url="")
    make_software("Plain")
    return with_logo


def test_logos_are_fetched_through_the_guarded_client_and_served(client, http_server, entries):
    base, files = http_server
    files["/logo.png"] = (200, PNG, {"Content-Type": "application/octet-stream"})
    files["/logo.svg"] = (200, SVG, {"Content-Type": "image/svg+xml"})
    pictured = entries
    Software.objects.filter(pk=pictured.pk).update(logo_url=f"{base}/logo.svg")
    plain = Software.objects.get(slug="plain")
    Software.objects.filter(pk=plain.pk).update(logo_url=f"{base}/logo.png")
    call_command("fetch_logos")
    response = client.get("/software/pictured/logo")
    assert response["Content-Type"] == "image/svg+xml"
    assert (
        response["Content-Security-Policy"]
        == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"alert" not in response.content
    assert client.get("/software/plain/logo").content == PNG
    page = client.get("/software/pictured/").content.decode()
    assert '<img class="logo" src="/software/pictured/logo" alt="" width="48" height="48">' in page
    listing = client.get("/software/").content.decode()
    assert '<img class="logo" src="/software/plain/logo" alt="" width="24" height="24">' in listing


def test_a_refused_or_missing_logo_says_why_and_keeps_nothing(client, http_server, entries):
    base, files = http_server
    files["/big.png"] = (200, PNG + b"\0" * MAX_BYTES, {})
    Software.objects.filter(slug="pictured").update(logo_url=f"{base}/big.png")
    Software.objects.filter(slug="plain").update(logo_url=f"{base}/missing.png")
    counts = fetch_logos(list(Software.objects.all()))
    assert counts == {"stored": 0, "refused": 2, "cleared": 0}
    assert client.get("/software/pictured/logo").status_code == 404
    errors = dict(Software.objects.values_list("slug", "logo_error"))
    assert "more than the limit of 262144 bytes" in errors["pictured"]
    assert "HTTP 404" in errors["plain"]


def test_private_addresses_are_refused(db, settings):
    settings.DOAP_FETCH_ALLOW_NETWORKS = []
    make_software("Local", logo_url="http://127.0.0.1:9/logo.png")
    assert fetch_logos(list(Software.objects.all()))["refused"] == 1
    assert Software.objects.get().logo_error


def test_a_logo_url_gone_from_the_doap_clears_the_logo(db):
    entry = make_software("Was", logo_type="image/png", logo=PNG, logo_fetched_url="http://x/")
    assert fetch_logos([entry])["cleared"] == 1
    assert Software.objects.get().logo_type == ""
