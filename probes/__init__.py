"""Probes: check a real XMPP server over the wire. asyncio and slixmpp; never imports Django."""

# Stored with every run of the probe service: raise it when a check's meaning changes.
__version__ = "1.1"
