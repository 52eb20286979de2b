"""Each ownership proof against real servers on loopback: success, and every reason it fails,
said exactly."""

import pytest

from compliance.models import Software
from compliance.vendors import proofs
from compliance.vendors.proofs import DNS, DOAP_FILE, WELL_KNOWN, ProofUnavailable, check
from tests.servers.http import HANG, redirect

pytestmark = pytest.mark.django_db
TOKEN = "Tk-4f2a9c"


def entry(homepage="", doap_url="") -> Software:
    return Software.objects.create(
        name="Vendor", slug="vendor", role="server", homepage=homepage, doap_url=doap_url
    )


def test_the_well_known_file_proves_it(https_site):
    software = entry(homepage=f"{https_site.url}/product/")
    path = "/.well-known/xmpp-compliance.txt"
    https_site.files[path] = (200, f"# ours\n  {TOKEN}  \nother\n".encode(), {})
    result = check(WELL_KNOWN, TOKEN, software)
    assert result.ok, result.detail
    assert result.where == f"{https_site.url}{path}"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (None, "the server answered HTTP 404."),
        ((200, b"someone-else's-token\n", {}), "was read (1 lines) but no line is the token"),
        ((200, f"prefix {TOKEN}".encode(), {}), "no line is the token"),
        ((200, b"x" * (proofs.MAX_BYTES + 1), {}), "Could not fetch"),
        (HANG, "did not finish within 2 s"),
        (redirect("https://10.1.2.3/xmpp-compliance.txt"), "Refused to connect to 10.1.2.3"),
        (redirect("http://vendor.example/x.txt"), "does not follow a redirect from https to http"),
    ],
)
def test_a_well_known_file_that_does_not_prove_it_says_why(https_site, answer, reason):
    software = entry(homepage=https_site.url)
    if answer is not None:
        https_site.files["/.well-known/xmpp-compliance.txt"] = answer
    result = check(WELL_KNOWN, TOKEN, software)
    assert not result.ok
    assert reason in result.detail


def test_a_private_homepage_is_refused_unless_its_network_is_allowed(https_site, settings):
    https_site.files["/.well-known/xmpp-compliance.txt"] = (200, TOKEN.encode(), {})
    settings.OWNERSHIP_ALLOW_NETWORKS = []
    result = check(WELL_KNOWN, TOKEN, entry(homepage=https_site.url))
    assert not result.ok
    assert "Refused to connect to 127.0.0.1" in result.detail


def test_a_certificate_the_site_does_not_trust_is_a_failure(https_site, settings):
    https_site.files["/.well-known/xmpp-compliance.txt"] = (200, TOKEN.encode(), {})
    settings.FETCH_CA_FILE = ""
    result = check(WELL_KNOWN, TOKEN, entry(homepage=https_site.url))
    assert not result.ok
    assert "certificate" in result.detail.lower()


def test_the_dns_record_proves_it(dns_zone):
    dns_zone.txt("_xmpp-compliance.vendor.example", "v=spf1 -all", f"xmpp-compliance={TOKEN}")
    result = check(DNS, TOKEN, entry(homepage="https://vendor.example/"))
    assert result.ok, result.detail
    assert result.where == "_xmpp-compliance.vendor.example"


def test_a_dns_record_that_does_not_prove_it_says_why(dns_zone):
    software = entry(homepage="https://vendor.example/")
    result = check(DNS, TOKEN, software)
    assert result.detail == (
        "_xmpp-compliance.vendor.example has no TXT record; add one with the value "
        f"'xmpp-compliance={TOKEN}'."
    )
    dns_zone.txt("_xmpp-compliance.vendor.example", f"xmpp-compliance={TOKEN}x")
    result = check(DNS, TOKEN, software)
    assert not result.ok
    assert "has 1 TXT record(s), but none is exactly" in result.detail
    dns_zone.silent("_xmpp-compliance.silent.example")
    result = check(DNS, TOKEN, software_at("silent.example"))
    assert not result.ok
    assert "timed out" in result.detail


def software_at(host: str) -> Software:
    return Software.objects.create(
        name=host, slug=host.replace(".", "-"), role="server", homepage=f"https://{host}/"
    )


def test_the_file_beside_the_doap_proves_it(https_site):
    software = entry(doap_url=f"{https_site.url}/repo/raw/main/project.doap")
    https_site.files["/repo/raw/main/xmpp-compliance.txt"] = (200, f"{TOKEN}\n".encode(), {})
    result = check(DOAP_FILE, TOKEN, software)
    assert result.ok, result.detail
    assert result.where == f"{https_site.url}/repo/raw/main/xmpp-compliance.txt"


def test_a_proof_that_cannot_apply_says_so():
    with pytest.raises(ProofUnavailable, match="no homepage"):
        check(WELL_KNOWN, TOKEN, entry())
    with pytest.raises(ProofUnavailable, match="no DOAP URL"):
        check(DOAP_FILE, TOKEN, software_at("nodoap.example"))
    with pytest.raises(ProofUnavailable, match="IP address"):
        check(DNS, TOKEN, software_at_ip())


def software_at_ip() -> Software:
    return Software.objects.create(
        name="IP", slug="ip", role="server", homepage="https://192.0.2.1/"
    )
