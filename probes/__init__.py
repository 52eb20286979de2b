"""Probes: check a real XMPP server over the wire. asyncio and slixmpp; never imports Django."""
