"""The checks, in the order they are reported. Explicit: a check exists when it is listed here.

Ids are stable (stored results are keyed by them). Adding a check: CONTRIBUTING.md.
"""

from probes.checks import (
    rfc6120_bind,
    rfc6120_sasl,
    rfc6120_starttls,
    rfc6120_stream,
    rfc6121_roster,
    rfc6121_roster_versioning,
    rfc7395_websocket,
    rfc7590_tls,
    xep0030_disco,
    xep0045_muc,
    xep0048_bookmarks,
    xep0049_private,
    xep0054_vcard,
    xep0077_register,
    xep0114_component,
    xep0115_caps,
    xep0153_vcard_avatars,
    xep0156_host_meta,
    xep0157_contacts,
    xep0163_pep,
    xep0191_blocking,
    xep0198_sm,
    xep0206_bosh,
    xep0215_extdisco,
    xep0223_publish_options,
    xep0249_invitations,
    xep0280_carbons,
    xep0313_mam,
    xep0313_mam_muc,
    xep0352_csi,
    xep0357_push,
    xep0363_upload,
    xep0368_directtls,
    xep0398_avatar_conversion,
    xep0402_bookmarks,
    xep0410_self_ping,
    xep0411_bookmarks_conversion,
)

CHECKS = (
    # Core
    rfc6120_stream.CHECK,  # the stream opens and offers features (RFC 6120 §4)
    rfc6120_starttls.CHECK,  # STARTTLS offered and negotiated (RFC 6120 §5)
    rfc6120_sasl.CHECK,  # SASL over TLS; the account authenticates (RFC 6120 §6)
    rfc6120_bind.CHECK,  # a resource is bound (RFC 6120 §7)
    rfc7590_tls.CHECK,  # TLS 1.2+, certificate valid for the domain (RFC 7590)
    xep0368_directtls.CHECK,  # _xmpps-client SRV and a Direct TLS login (XEP-0368)
    xep0030_disco.CHECK,  # disco#info and disco#items of the domain (XEP-0030)
    xep0115_caps.CHECK,  # caps stream feature whose hash matches disco#info (XEP-0115)
    xep0114_component.CHECK,  # component protocol: cannot be probed, says so (XEP-0114)
    xep0163_pep.CHECK,  # PEP identity; publish, read back, delete (XEP-0163)
    # Web
    rfc7395_websocket.CHECK,  # an XMPP stream over WebSocket (RFC 7395)
    xep0206_bosh.CHECK,  # a BOSH session (XEP-0206)
    xep0156_host_meta.CHECK,  # host-meta XRD and JRD (XEP-0156)
    # IM
    rfc6121_roster.CHECK,  # roster get (RFC 6121 §2.2)
    rfc6121_roster_versioning.CHECK,  # roster versioning (RFC 6121 §2.6)
    xep0054_vcard.CHECK,  # own vCard set, read back, restored (XEP-0054)
    xep0398_avatar_conversion.CHECK,  # PEP avatar to vCard conversion advertised (XEP-0398)
    xep0153_vcard_avatars.CHECK,  # avatar hash added to presence (XEP-0153)
    xep0280_carbons.CHECK,  # carbons advertised and enabled (XEP-0280)
    xep0191_blocking.CHECK,  # blocking advertised, blocklist read (XEP-0191)
    xep0045_muc.CHECK,  # MUC services: a fresh room joined and left (XEP-0045)
    xep0249_invitations.CHECK,  # a direct MUC invitation routed intact (XEP-0249)
    xep0048_bookmarks.CHECK,  # bookmarks read from private storage (XEP-0048)
    xep0049_private.CHECK,  # private XML storage round trip (XEP-0049)
    xep0223_publish_options.CHECK,  # private PEP node via publish-options (XEP-0223)
    xep0402_bookmarks.CHECK,  # native bookmarks and the #compat conversion (XEP-0402)
    xep0411_bookmarks_conversion.CHECK,  # bookmarks conversion advertised (XEP-0411)
    xep0410_self_ping.CHECK,  # MUC self-ping in a fresh room (XEP-0410)
    xep0313_mam.CHECK,  # account archive query ends with a fin (XEP-0313)
    xep0313_mam_muc.CHECK,  # room archive returns the message sent (XEP-0313)
    xep0363_upload.CHECK,  # upload services: slot, PUT, GET back (XEP-0363)
    xep0077_register.CHECK,  # in-band registration really offered; informational (XEP-0077)
    xep0157_contacts.CHECK,  # contact addresses; informational (XEP-0157)
    # Mobile
    xep0198_sm.CHECK,  # stream management enable, ack and resume (XEP-0198)
    xep0352_csi.CHECK,  # client state indication (XEP-0352)
    xep0357_push.CHECK,  # push notifications enable and disable (XEP-0357)
    # A/V calling
    xep0215_extdisco.CHECK,  # STUN/TURN services listed (XEP-0215)
)
