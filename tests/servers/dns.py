"""A real DNS server on loopback (dnslib, in a thread of the test process), serving a small zone."""

from __future__ import annotations

from dnslib import AAAA, QTYPE, RCODE, RR, SRV, TXT, A, DNSError, DNSLabel
from dnslib.server import BaseResolver, DNSServer


class Zone(BaseResolver):
    """Authoritative answers from records kept by name (so that a zone of thousands answers at
    once); NXDOMAIN for names it does not hold, and no answer at all for names said to be
    silent."""

    def __init__(self) -> None:
        self.records: dict[DNSLabel, list[RR]] = {}
        self.unanswered: list[DNSLabel] = []

    def silent(self, name: str) -> Zone:
        self.unanswered.append(DNSLabel(name))
        return self

    def address(self, name: str, ip: str) -> Zone:
        rtype, rdata = (QTYPE.AAAA, AAAA(ip)) if ":" in ip else (QTYPE.A, A(ip))
        return self._add(RR(name, rtype, rdata=rdata, ttl=60))

    def srv(self, name: str, target: str, port: int, priority: int = 0, weight: int = 0) -> Zone:
        record = SRV(priority=priority, weight=weight, port=port, target=target)
        return self._add(RR(name, QTYPE.SRV, rdata=record, ttl=60))

    def _add(self, rr: RR) -> Zone:
        self.records.setdefault(DNSLabel(rr.rname), []).append(rr)
        return self

    def txt(self, name: str, *values: str) -> Zone:
        """A TXT record per value."""
        for value in values:
            self._add(RR(name, QTYPE.TXT, rdata=TXT(value), ttl=60))
        return self

    def resolve(self, request, handler):
        reply = request.reply()
        qname, qtype = request.q.qname, request.q.qtype
        if qname in self.unanswered:
            raise DNSError(f"{qname} is silent")  # dnslib then sends nothing
        named = self.records.get(qname, [])
        if not named:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for rr in named:
            if qtype in (QTYPE.ANY, rr.rtype):
                reply.add_answer(rr)
        return reply


class LoopbackDNS:
    """The zone served over UDP on 127.0.0.1 at an ephemeral port; `nameserver` is 'ip:port'."""

    def __init__(self, zone: Zone) -> None:
        self.zone = zone
        self.server = DNSServer(zone, address="127.0.0.1", port=0, logger=_Quiet())

    @property
    def nameserver(self) -> str:
        host, port = self.server.server.server_address[:2]
        return f"{host}:{port}"

    def __enter__(self) -> LoopbackDNS:
        self.server.start_thread()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.stop()
        self.server.server.server_close()


class _Quiet:
    """dnslib's logger interface, saying nothing."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None
