"""The xmpp.org software registry: read its list exactly (`parse`) and sync it (`sync`)."""
