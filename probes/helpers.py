"""Helpers the checks share: a feature on the domain, on the account, on each component."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from xml.etree import ElementTree as ET

from probes.evidence import listed
from probes.outcomes import Evidence, Outcome
from probes.probe import Context, Session
from probes.stream import ProbeClient
from probes.xmpp import DiscoInfo, child, el, tag


async def domain_info(ctx: Context) -> DiscoInfo:
    return await ctx.disco_info(ctx.domain)


async def account_info(ctx: Context) -> DiscoInfo:
    """disco#info of the account's bare JID (answered by the server on the user's behalf)."""
    return await ctx.disco_info(ctx.account or "")


async def feature_on_domain(ctx: Context, feature: str) -> bool:
    return feature in (await domain_info(ctx)).features


async def feature_on_account(ctx: Context, feature: str) -> bool:
    return feature in (await account_info(ctx)).features


async def advertised_on_account(ctx: Context, feature: str, what: str) -> Outcome:
    """Pass when the account's disco#info lists the feature; say where else it was seen."""
    if await feature_on_account(ctx, feature):
        return ctx.passed(f"The account advertises {feature} ({what}).", ctx.account)
    elsewhere = (
        " It is advertised on the domain instead." if await feature_on_domain(ctx, feature) else ""
    )
    return ctx.failed(f"The account does not advertise {feature} ({what}).{elsewhere}", ctx.account)


async def count_items(ctx: Context, namespace: str, name: str) -> int | None:
    """Get one of the account's private lists (roster, blocklist: <name xmlns=namespace/>),
    recorded by its size only; how many <item/> it holds, None when the answer lacks it."""
    reply = await ctx.iq("get", None, el(tag(namespace, name)), private=True)
    found = child(reply, namespace, name)
    return None if found is None else len(found.findall(tag(namespace, "item")))


async def services(
    ctx: Context, *, feature: str | None = None, identity: tuple[str, str] | None = None
) -> list[DiscoInfo]:
    """The domain and its non-gateway components that advertise the feature / identity."""
    candidates = [await domain_info(ctx), *await ctx.components()]
    return [
        info
        for info in candidates
        if (feature is None or feature in info.features)
        and (identity is None or info.has_identity(*identity))
    ]


async def on_each_service(
    ctx: Context,
    test: Callable[[Context, DiscoInfo], Awaitable[Outcome]],
    *,
    feature: str | None = None,
    identity: tuple[str, str] | None = None,
    missing: str,
) -> Outcome | list[Outcome]:
    """Run the test on each service that advertises the feature / identity, concurrently: one
    outcome per service, errors included; a fail saying `missing` when there is none.

    At most options.max_services services are tested (the domain first, then the components in
    JID order), so that the rooms, uploads and requests of a check stay few whatever the server
    lists; every outcome then says how many were skipped, and its evidence which."""
    found = await services(ctx, feature=feature, identity=identity)
    if not found:
        return ctx.failed(missing)
    limit, unqueried = ctx.options.max_services, ctx.probe.unqueried_items
    tested, skipped = found[:limit], found[limit:]
    untested = [f"{len(skipped)} more services not tested: at most {limit}"] if skipped else []
    untested += [f"{unqueried} disco#items entries not queried"] if unqueried else []

    async def one(info: DiscoInfo) -> Outcome:
        sub = ctx.sub(info.jid)
        if skipped:
            names = listed([s.jid for s in skipped])
            sub.note(f"{len(skipped)} more services not tested (at most {limit}): {names}.")
        try:
            outcome = await test(sub, info)
        except Exception as exc:  # each service's outcome stands on its own
            outcome = sub.from_exception(exc)
        if untested:
            outcome = dataclasses.replace(
                outcome, detail=f"{outcome.detail} ({'; '.join(untested)}.)"
            )
        return outcome

    return list(await asyncio.gather(*(one(info) for info in tested)))


async def main_session(ctx: Context) -> Session:
    """The main session, with how it was reached and its login exchange as evidence."""
    session = await ctx.probe.main()
    ctx.evidence += session.lookup_evidence()
    if session.endpoint is not None:
        ctx.note(f"Connected to {session.endpoint}.")
    if session.client is not None:
        ctx.evidence += session.client.transcript
        if session.client.tls is not None:
            ctx.evidence.append(Evidence("tls", session.client.tls.as_text()))
    return session


def stream_feature(client: ProbeClient, namespace: str, name: str) -> ET.Element | None:
    """The feature in the latest stream features that hold it (post-TLS, post-auth...)."""
    for features in reversed(client.feature_sets):
        found = features.find(tag(namespace, name))
        if found is not None:
            return found
    return None
