"""Real servers for the probe tests, run on loopback: a test CA, a DNS server, Prosody, hostiles."""
