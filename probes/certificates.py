"""The names in a server certificate and whether they match an XMPP domain (RFC 6125, RFC 7590).

A certificate matches the domain through a DNS-ID (dNSName, with a wildcard only as the whole
left-most label), an SRV-ID (SRVName `_xmpp-client.<domain>`) or an XmppAddr; the subject CN
counts only when the certificate has no subjectAltName at all (RFC 6125 §6.4.4).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID, ObjectIdentifier

XMPP_ADDR = ObjectIdentifier("1.3.6.1.5.5.7.8.5")
SRV_NAME = ObjectIdentifier("1.3.6.1.5.5.7.8.7")


@dataclass(frozen=True)
class CertificateNames:
    dns: tuple[str, ...] = ()
    srv: tuple[str, ...] = ()
    xmpp: tuple[str, ...] = ()
    common_names: tuple[str, ...] = ()
    has_san: bool = False

    def listed(self) -> list[str]:
        return (
            [f"DNS:{n}" for n in self.dns]
            + [f"SRV:{n}" for n in self.srv]
            + [f"XMPP:{n}" for n in self.xmpp]
            + ([] if self.has_san else [f"CN:{n}" for n in self.common_names])
        )


def _der_string(value: bytes) -> str:
    """The text of a DER UTF8String or IA5String (the two string types otherName values use)."""
    if len(value) < 2 or value[0] not in (0x0C, 0x16):
        return ""
    length, offset = value[1], 2
    if length & 0x80:
        size = length & 0x7F
        length, offset = int.from_bytes(value[2 : 2 + size], "big"), 2 + size
    return value[offset : offset + length].decode("utf-8", errors="replace")


def certificate_names(der: bytes) -> CertificateNames:
    certificate = x509.load_der_x509_certificate(der)
    cns = tuple(
        str(attribute.value)
        for attribute in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    )
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return CertificateNames(common_names=cns)
    others = san.get_values_for_type(x509.OtherName)
    return CertificateNames(
        dns=tuple(san.get_values_for_type(x509.DNSName)),
        srv=tuple(_der_string(o.value) for o in others if o.type_id == SRV_NAME),
        xmpp=tuple(_der_string(o.value) for o in others if o.type_id == XMPP_ADDR),
        common_names=cns,
        has_san=True,
    )


def _dns_matches(pattern: str, domain: str) -> bool:
    pattern, domain = pattern.lower().rstrip("."), domain.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = domain.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == domain


def names_match(names: CertificateNames, domain: str) -> bool:
    if any(_dns_matches(name, domain) for name in names.dns):
        return True
    if any(name.lower() == f"_xmpp-client.{domain}".lower() for name in names.srv):
        return True
    if any(name.lower() == domain.lower() for name in names.xmpp):
        return True
    return not names.has_san and any(_dns_matches(cn, domain) for cn in names.common_names)


def certificate_expiry(der: bytes) -> datetime.datetime:
    return x509.load_der_x509_certificate(der).not_valid_after_utc
