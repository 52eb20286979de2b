"""Hand-made DOAP files for tests."""

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns="http://usefulinc.com/ns/doap#" xmlns:xmpp="https://linkmauve.fr/ns/xmpp-doap#">'
    b"<Project>"
)
TAIL = b"</Project></rdf:RDF>"


def doap(body: bytes | str, head: bytes = HEAD) -> bytes:
    """A DOAP file of a Project with this body."""
    return head + (body.encode() if isinstance(body, str) else body) + TAIL


def xep(number: str, *children: str) -> bytes:
    inner = "".join(children)
    return (
        f'<implements><xmpp:SupportedXep><xmpp:xep rdf:resource="https://xmpp.org/'
        f'extensions/xep-{number}.html"/>{inner}</xmpp:SupportedXep></implements>'
    ).encode()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://usefulinc.com/ns/doap#"><Project><name>&lol9;</name></Project></rdf:RDF>"""
