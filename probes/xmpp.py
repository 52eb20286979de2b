"""Namespaces, element builders and parsers the checks share (pure: no I/O)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from xml.etree import ElementTree as ET

CLIENT = "jabber:client"
STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"
STREAMS = "http://etherx.jabber.org/streams"
TLS = "urn:ietf:params:xml:ns:xmpp-tls"
SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
BIND = "urn:ietf:params:xml:ns:xmpp-bind"
ROSTER = "jabber:iq:roster"
ROSTERVER = "urn:xmpp:features:rosterver"
DISCO_INFO = "http://jabber.org/protocol/disco#info"
DISCO_ITEMS = "http://jabber.org/protocol/disco#items"
DATA_FORMS = "jabber:x:data"
CAPS = "http://jabber.org/protocol/caps"
VERSION = "jabber:iq:version"
PING = "urn:xmpp:ping"
PUBSUB = "http://jabber.org/protocol/pubsub"
PUBSUB_OWNER = "http://jabber.org/protocol/pubsub#owner"
PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options"  # feature and FORM_TYPE
NODE_CONFIG_FORM = "http://jabber.org/protocol/pubsub#node_config"
VCARD = "vcard-temp"
VCARD_UPDATE = "vcard-temp:x:update"
PEP_VCARD_CONVERSION = "urn:xmpp:pep-vcard-conversion:0"
CARBONS = "urn:xmpp:carbons:2"
BLOCKING = "urn:xmpp:blocking"
MUC = "http://jabber.org/protocol/muc"
MUC_USER = "http://jabber.org/protocol/muc#user"
MUC_OWNER = "http://jabber.org/protocol/muc#owner"
SELF_PING = "http://jabber.org/protocol/muc#self-ping-optimization"
CONFERENCE = "jabber:x:conference"
PRIVATE = "jabber:iq:private"
BOOKMARKS_LEGACY = "storage:bookmarks"
BOOKMARKS = "urn:xmpp:bookmarks:1"
BOOKMARKS_COMPAT = "urn:xmpp:bookmarks:1#compat"
BOOKMARKS_CONVERSION = "urn:xmpp:bookmarks-conversion:0"
MAM = "urn:xmpp:mam:2"
RSM = "http://jabber.org/protocol/rsm"
SM = "urn:xmpp:sm:3"
CSI = "urn:xmpp:csi:0"
PUSH = "urn:xmpp:push:0"
EXTDISCO = "urn:xmpp:extdisco:2"
UPLOAD = "urn:xmpp:http:upload:0"
REGISTER = "jabber:iq:register"
REGISTER_FEATURE = "http://jabber.org/features/iq-register"
OOB = "jabber:x:oob"
SERVERINFO = "http://jabber.org/network/serverinfo"
FRAMING = "urn:ietf:params:xml:ns:xmpp-framing"
BOSH = "http://jabber.org/protocol/httpbind"
XBOSH = "urn:xmpp:xbosh"
# The namespace of the probe's own payloads (PEP items, private storage): a fixed UUID URN.
PROBE = "urn:uuid:5b0c51d6-3c86-4e57-9a39-7d1f4c0e2a77"


def tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def el(qname: str, attrs: dict[str, str] | None = None, *children: ET.Element, text: str = ""):
    """An element from a Clark name ('{ns}name'), attributes, children and text."""
    element = ET.Element(qname, {k: v for k, v in (attrs or {}).items() if v is not None})
    element.extend(children)
    if text:
        element.text = text
    return element


def iq(kind: str, to: str | None, payload: ET.Element | None = None) -> ET.Element:
    stanza = el(tag(CLIENT, "iq"), {"type": kind, "to": to})
    if payload is not None:
        stanza.append(payload)
    return stanza


def form(form_type: str, fields: dict[str, str | list[str]], kind: str = "submit") -> ET.Element:
    """A data form (XEP-0004) with a hidden FORM_TYPE."""
    x = el(tag(DATA_FORMS, "x"), {"type": kind})
    items = {"FORM_TYPE": form_type, **fields}
    for var, value in items.items():
        field = el(tag(DATA_FORMS, "field"), {"var": var})
        if var == "FORM_TYPE":
            field.set("type", "hidden")
        for one in [value] if isinstance(value, str) else value:
            field.append(el(tag(DATA_FORMS, "value"), text=one))
        x.append(field)
    return x


def parse_form(x: ET.Element) -> tuple[str, dict[str, list[str]]]:
    """(FORM_TYPE, {var: values}) of a data form."""
    fields: dict[str, list[str]] = {}
    for field in x.findall(tag(DATA_FORMS, "field")):
        values = [v.text or "" for v in field.findall(tag(DATA_FORMS, "value"))]
        fields[field.get("var", "")] = values
    form_type = (fields.pop("FORM_TYPE", None) or [""])[0]
    return form_type, fields


def token() -> str:
    """A short random token for the names of the probe's rooms, nodes and files."""
    return secrets.token_hex(5)


def child(element: ET.Element | None, namespace: str, name: str) -> ET.Element | None:
    return None if element is None else element.find(tag(namespace, name))


def children(element: ET.Element | None) -> list[ET.Element]:
    """The child elements, none for a missing element (never relying on an Element's truth)."""
    return [] if element is None else list(element)


@dataclass(frozen=True)
class Identity:
    """A disco#info identity (XEP-0030 §3.1)."""

    category: str
    type: str
    name: str = ""


@dataclass(frozen=True)
class DiscoInfo:
    """A disco#info answer (XEP-0030 §3.1), with its XEP-0128 forms."""

    jid: str
    identities: tuple[Identity, ...]
    features: frozenset[str]
    forms: tuple[tuple[str, dict[str, list[str]]], ...] = ()
    query: ET.Element | None = None

    def has_identity(self, category: str, kind: str | None = None) -> bool:
        return any(
            i.category == category and (kind is None or i.type == kind) for i in self.identities
        )

    def form(self, form_type: str) -> dict[str, list[str]] | None:
        return next((fields for kind, fields in self.forms if kind == form_type), None)

    @property
    def is_gateway(self) -> bool:
        return self.has_identity("gateway")

    def describe(self) -> str:
        ids = ", ".join(f"{i.category}/{i.type}" for i in self.identities) or "no identity"
        return f"{self.jid}: {ids}; {len(self.features)} features"


def parse_disco_info(jid: str, reply: ET.Element) -> DiscoInfo:
    query = child(reply, DISCO_INFO, "query")
    if query is None:
        return DiscoInfo(jid, (), frozenset())
    identities = tuple(
        Identity(i.get("category", ""), i.get("type", ""), i.get("name", ""))
        for i in query.findall(tag(DISCO_INFO, "identity"))
    )
    features = frozenset(f.get("var", "") for f in query.findall(tag(DISCO_INFO, "feature")))
    forms = tuple(parse_form(x) for x in query.findall(tag(DATA_FORMS, "x")))
    return DiscoInfo(jid, identities, features, forms, query)


def parse_disco_items(reply: ET.Element) -> list[tuple[str, str]]:
    """(jid, node) of every item of a disco#items answer."""
    query = child(reply, DISCO_ITEMS, "query")
    if query is None:
        return []
    return [(i.get("jid", ""), i.get("node", "")) for i in query.findall(tag(DISCO_ITEMS, "item"))]


def error_condition(element: ET.Element) -> str:
    """The defined condition of a stanza's <error/>, or '' when it has none."""
    error = child(element, CLIENT, "error")
    if error is None:
        return ""
    for item in error:
        if item.tag.startswith(f"{{{STANZAS}}}") and not item.tag.endswith("}text"):
            return item.tag.partition("}")[2]
    return "undefined-condition"
