"""PubSub requests on the account's PEP service (XEP-0060, XEP-0163), for the checks."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from probes.probe import Context
from probes.xmpp import (
    PUBLISH_OPTIONS,
    PUBSUB,
    PUBSUB_OWNER,
    child,
    el,
    form,
    parse_form,
    tag,
)


async def publish(
    ctx: Context,
    node: str,
    item_id: str,
    payload: ET.Element,
    options: dict[str, str] | None = None,
) -> ET.Element:
    """Publish one item to a node of the account (XEP-0060 §7.1), with publish-options if any."""
    request = el(
        tag(PUBSUB, "pubsub"),
        None,
        el(
            tag(PUBSUB, "publish"),
            {"node": node},
            el(tag(PUBSUB, "item"), {"id": item_id}, payload),
        ),
    )
    if options:
        request.append(el(tag(PUBSUB, "publish-options"), None, form(PUBLISH_OPTIONS, options)))
    return await ctx.iq("set", ctx.account, request)


async def items(ctx: Context, node: str, item_id: str | None = None) -> list[ET.Element]:
    """The items of a node (XEP-0060 §6.5), or the one asked for."""
    wanted = el(tag(PUBSUB, "items"), {"node": node})
    if item_id:
        wanted.append(el(tag(PUBSUB, "item"), {"id": item_id}))
    reply = await ctx.iq("get", ctx.account, el(tag(PUBSUB, "pubsub"), None, wanted))
    found = child(child(reply, PUBSUB, "pubsub"), PUBSUB, "items")
    return [] if found is None else found.findall(tag(PUBSUB, "item"))


async def node_config(ctx: Context, node: str) -> dict[str, list[str]]:
    """The node configuration form (XEP-0060 §8.2) as {var: values}."""
    reply = await ctx.iq(
        "get",
        ctx.account,
        el(tag(PUBSUB_OWNER, "pubsub"), None, el(tag(PUBSUB_OWNER, "configure"), {"node": node})),
    )
    configure = child(child(reply, PUBSUB_OWNER, "pubsub"), PUBSUB_OWNER, "configure")
    x = child(configure, "jabber:x:data", "x")
    return {} if x is None else parse_form(x)[1]


async def delete_node(ctx: Context, node: str) -> None:
    """Delete a node of the account (XEP-0060 §8.4)."""
    await ctx.iq(
        "set",
        ctx.account,
        el(tag(PUBSUB_OWNER, "pubsub"), None, el(tag(PUBSUB_OWNER, "delete"), {"node": node})),
    )


async def retract(ctx: Context, node: str, item_id: str) -> None:
    """Retract one item, notifying subscribers (XEP-0060 §7.2)."""
    await ctx.iq(
        "set",
        ctx.account,
        el(
            tag(PUBSUB, "pubsub"),
            None,
            el(
                tag(PUBSUB, "retract"),
                {"node": node, "notify": "true"},
                el(tag(PUBSUB, "item"), {"id": item_id}),
            ),
        ),
    )
