"""Before a probe is queued: whether the domain's XMPP addresses are any the probe may reach.

A domain whose every address (over its STARTTLS and Direct TLS SRV targets, or the domain
itself) is private is refused before any connection is made. Network trouble is not a refusal:
the probe reports it as it runs.
"""

from __future__ import annotations

from probes.addresses import NetworkPolicy
from probes.connect.dns import Resolver
from probes.connect.xmpp import xmpp_endpoints
from probes.errors import AddressRefused, NetworkError
from probes.options import Options


async def refusal(options: Options) -> str | None:
    """Why a probe of these options must not run (every address private), or None."""
    resolver = Resolver(
        policy=NetworkPolicy.allowing(options.allow_networks),
        nameserver=options.nameserver,
        timeout=options.request_timeout,
    )
    refused: list[str] = []
    for direct_tls in (False, True):
        try:
            await xmpp_endpoints(
                resolver,
                options.domain,
                direct_tls=direct_tls,
                max_targets=options.max_srv_targets,
                max_endpoints=options.max_endpoints,
            )
        except AddressRefused as exc:
            refused.append(str(exc))
            continue
        except NetworkError:
            continue
        return None
    return refused[0] if refused else None
