"""Certificate names and RFC 6125 matching for XMPP: DNS-ID, wildcard, SRV-ID, XmppAddr, CN."""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from probes.certificates import SRV_NAME, XMPP_ADDR, certificate_names, names_match


def der_string(tag: int, text: str) -> bytes:
    data = text.encode()
    return bytes([tag, len(data)]) + data


def certificate(common_name: str, sans: list | None) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
    )
    if sans is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize(
    ("sans", "domain", "matches"),
    [
        ([x509.DNSName("example.org")], "example.org", True),
        ([x509.DNSName("EXAMPLE.org")], "example.org", True),
        ([x509.DNSName("*.example.org")], "chat.example.org", True),
        ([x509.DNSName("*.example.org")], "example.org", False),
        ([x509.DNSName("*.example.org")], "a.b.example.org", False),
        ([x509.DNSName("other.org")], "example.org", False),
        (
            [x509.OtherName(SRV_NAME, der_string(0x16, "_xmpp-client.example.org"))],
            "example.org",
            True,
        ),
        (
            [x509.OtherName(SRV_NAME, der_string(0x16, "_xmpp-server.example.org"))],
            "example.org",
            False,
        ),
        ([x509.OtherName(XMPP_ADDR, der_string(0x0C, "example.org"))], "example.org", True),
    ],
)
def test_it_matches_the_xmpp_domain_as_rfc_6125_says(sans, domain, matches):
    names = certificate_names(certificate("ignored.example", sans))
    assert names_match(names, domain) is matches


def test_it_uses_the_common_name_only_without_subject_alt_names():
    assert names_match(certificate_names(certificate("example.org", None)), "example.org")
    with_san = certificate_names(certificate("example.org", [x509.DNSName("other.org")]))
    assert not names_match(with_san, "example.org")
    assert with_san.listed() == ["DNS:other.org"]


def test_it_lists_every_kind_of_name():
    names = certificate_names(
        certificate(
            "cn.example",
            [
                x509.DNSName("example.org"),
                x509.OtherName(SRV_NAME, der_string(0x16, "_xmpp-client.example.org")),
                x509.OtherName(XMPP_ADDR, der_string(0x0C, "example.org")),
            ],
        )
    )
    assert names.listed() == ["DNS:example.org", "SRV:_xmpp-client.example.org", "XMPP:example.org"]
