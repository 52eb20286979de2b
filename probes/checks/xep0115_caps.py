"""XEP-0115 (Entity Capabilities) for a server: the caps stream feature, with a correct hash.

Entity: the domain. A server announces its capabilities as a <c xmlns='http://jabber.org/protocol/
caps'/> stream feature (§6.3). Pass: the feature is present and its `ver` is the hash (§5.1 and
§5.4) of the domain's own disco#info, recomputed by the probe. Fail: absent, or a wrong hash.
"""

import base64
import hashlib

from probes.helpers import domain_info, main_session, stream_feature
from probes.probe import Check, Context
from probes.xmpp import CAPS, DATA_FORMS, DISCO_INFO, tag

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The IANA hash names XEP-0115 uses, and hashlib's names for them.
HASHES = {"sha-1": "sha1", "sha-224": "sha224", "sha-256": "sha256", "sha-384": "sha384"}
HASHES |= {"sha-512": "sha512", "md5": "md5"}


def _values(field) -> list[str]:
    return sorted(v.text or "" for v in field.findall(tag(DATA_FORMS, "value")))


def verification_string(query) -> str:
    """The §5.1 string: identities, features, then extended forms, each sorted, '<'-joined."""
    ids = sorted(
        "/".join((i.get("category", ""), i.get("type", ""), i.get(XML_LANG, ""), i.get("name", "")))
        for i in query.findall(tag(DISCO_INFO, "identity"))
    )
    parts = ids + sorted(f.get("var", "") for f in query.findall(tag(DISCO_INFO, "feature")))
    forms = []
    for x in query.findall(tag(DATA_FORMS, "x")):
        fields = {f.get("var", ""): _values(f) for f in x.findall(tag(DATA_FORMS, "field"))}
        form_type = fields.pop("FORM_TYPE", [""])[0]
        forms.append([form_type, *(s for var in sorted(fields) for s in (var, *fields[var]))])
    parts += [s for form in sorted(forms) for s in form]
    return "".join(f"{p}<" for p in parts)


async def run(ctx: Context):
    client = (await main_session(ctx)).client
    await ctx.session()
    caps = stream_feature(client, CAPS, "c")
    if caps is None:
        return ctx.failed("The stream features carry no entity capabilities (<c/>).")
    algorithm = HASHES.get(caps.get("hash", "").lower())
    if algorithm is None:
        return ctx.failed(f"The caps feature names an unknown hash {caps.get('hash')!r}.")
    info = await domain_info(ctx)
    digest = hashlib.new(algorithm, verification_string(info.query).encode()).digest()
    expected = base64.b64encode(digest).decode()
    if caps.get("ver") != expected:
        return ctx.failed(
            f"The caps ver {caps.get('ver')!r} is not the hash of the domain's "
            f"disco#info ({expected!r})."
        )
    return ctx.passed(f"Caps stream feature with a correct {caps.get('hash')} ver {expected}.")


CHECK = Check("xep0115-caps", ("XEP-0115",), "Entity capabilities", run)
