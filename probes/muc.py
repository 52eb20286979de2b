"""Multi-User Chat helpers (XEP-0045): a fresh room of the probe's own, always destroyed after.

Rooms are named `probe-<random>` so that an existing room is never touched; a room is destroyed
(§10.9) only when the probe created it (status 201). Refused creation is a could-not-test, not a
fail: many services restrict room creation (restrict_room_creation and the like).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from probes.errors import CouldNotTest, StanzaError
from probes.probe import Context
from probes.stream import stanza_error
from probes.xmpp import (
    CLIENT,
    DATA_FORMS,
    MUC,
    MUC_OWNER,
    MUC_USER,
    child,
    el,
    form,
    parse_form,
    tag,
    token,
)

REFUSED = {"not-allowed", "forbidden", "registration-required", "not-authorized"}
ROOM_CONFIG = "http://jabber.org/protocol/muc#roomconfig"
# Room configuration fields that switch a room's archive on, as servers name them.
ARCHIVING_FIELDS = ("muc#roomconfig_enablearchiving", "muc#roomconfig_mam", "mam")
NICK = "probe"
SERVICE = ("conference", "text")  # the identity of a MUC service (XEP-0045 §6.1)
NO_SERVICE = "No MUC service (conference/text) among the domain's components."


@dataclass
class Room:
    """A room the probe made or joined, and how far it got (muc.fresh_room)."""

    jid: str
    nick: str = NICK
    created: bool = False
    joined: bool = False

    @property
    def occupant(self) -> str:
        return f"{self.jid}/{self.nick}"


def _from(stanza, jid: str) -> bool:
    return stanza.get("from", "").lower() == jid.lower()


def _statuses(presence) -> set[str]:
    x = child(presence, MUC_USER, "x")
    return set() if x is None else {s.get("code", "") for s in x.findall(tag(MUC_USER, "status"))}


async def _presence(
    ctx: Context, room: Room, sent: ET.Element, answers: Callable[[ET.Element], bool], what: str
) -> ET.Element:
    """Send a presence to the probe's occupant JID and wait for the room's presence from it that
    answers it (`what` says what was asked, for the timeout's message)."""
    client = await ctx.session()
    answer = client.expect(
        lambda s: s.tag == tag(CLIENT, "presence") and _from(s, room.occupant) and answers(s)
    )
    await ctx.send(sent)
    return await ctx.receive(answer, what)


async def enter(ctx: Context, room: Room) -> None:
    """Join (and so create) the room; an instant room is configured with the defaults (§10.1.2)."""
    history = el(tag(MUC, "history"), {"maxstanzas": "0"})
    presence = await _presence(
        ctx,
        room,
        el(tag(CLIENT, "presence"), {"to": room.occupant}, el(tag(MUC, "x"), None, history)),
        lambda s: s.get("type") == "error" or "110" in _statuses(s),
        f"joining {room.jid}",
    )
    if presence.get("type") == "error":
        error = stanza_error(presence)
        if error.condition in REFUSED:
            raise CouldNotTest(f"The service refused to create a room (<{error.condition}/>).")
        raise error
    room.joined, room.created = True, "201" in _statuses(presence)
    if room.created:
        submit = el(tag(MUC_OWNER, "query"), None, el(tag(DATA_FORMS, "x"), {"type": "submit"}))
        await ctx.iq("set", room.jid, submit)


async def enable_archiving(ctx: Context, room: Room) -> str:
    """Switch the archive of a room the probe owns on, if its configuration form has a field for
    it (servers like ejabberd archive rooms only when asked); the field's name, or ''."""
    reply = await ctx.iq("get", room.jid, el(tag(MUC_OWNER, "query")))
    x = child(child(reply, MUC_OWNER, "query"), DATA_FORMS, "x")
    fields = {} if x is None else parse_form(x)[1]
    name = next((f for f in ARCHIVING_FIELDS if f in fields), "")
    if name:
        submit = el(tag(MUC_OWNER, "query"), None, form(ROOM_CONFIG, {name: "1"}))
        await ctx.iq("set", room.jid, submit)
    return name


async def leave(ctx: Context, room: Room) -> None:
    """Leave the room and wait for the server to confirm it (§7.14)."""
    await _presence(
        ctx,
        room,
        el(tag(CLIENT, "presence"), {"to": room.occupant, "type": "unavailable"}),
        lambda s: s.get("type") == "unavailable",
        f"leaving {room.jid}",
    )
    room.joined = False


async def destroy(ctx: Context, room: Room) -> None:
    """Destroy a room the probe created (§10.9); leave one it only joined."""
    if room.created:
        try:
            await ctx.iq(
                "set", room.jid, el(tag(MUC_OWNER, "query"), None, el(tag(MUC_OWNER, "destroy")))
            )
        except StanzaError as exc:
            if exc.condition != "item-not-found":  # a temporary room is gone once empty
                raise
        room.joined = False
    elif room.joined:
        await leave(ctx, room)


@asynccontextmanager
async def fresh_room(ctx: Context, service: str) -> AsyncIterator[Room]:
    """A new room on the service, joined; destroyed on the way out whatever happens."""
    room = Room(f"probe-{token()}@{service}")
    async with ctx.cleanup(f"destroy the room {room.jid}", lambda: destroy(ctx, room)):
        await enter(ctx, room)
        yield room
