"""A test copy of the xmpp.org registry, served from a loopback HTTP server.

Built in the test from ../shared/registry/software.json (never copied into the repository):
the DOAP URLs of the 13 projects whose files are in ../shared/doap/ point at the server (the
four xmpp.org hosts stay relative, resolved against REGISTRY_DOAP_BASE, which the tests point at
the server), and every other DOAP URL points at a path of the server that answers 404, a
redirect loop, a redirect to a missing file, a hang or an unasked-for 304.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import SHARED, require_shared
from tests.servers.http import HANG, ThreadedSite, redirect

# xmpp.org name -> file in ../shared/doap/ (../shared/doap/SOURCES.md)
SHARED_FILES = {
    "Prosody IM": "prosody.doap",
    "ejabberd": "ejabberd.doap",
    "Openfire": "openfire.doap",
    "Conversations": "conversations.doap",
    "Gajim": "gajim.doap",
    "Dino": "dino.doap",
    "Movim": "movim.doap",
    "profanity": "profanity.doap",
    "slixmpp": "slixmpp.doap",
    "Snikket Server": "snikket-server.doap",
    "Isode M-Link": "isode-m-link.doap",
    "libstrophe": "libstrophe.doap",
    "Swift": "swift.doap",
}
# Some of the other DOAP entries get a hostile answer; the rest a 404.
SPECIAL = {
    "Aparté": ("loop", lambda base: redirect("/loop/aparte")),
    "Artalk.Xmpp": ("gone", lambda base: redirect("/nowhere.doap")),
    "Apache Vysper": ("hang", lambda base: HANG),
    "Beagle IM": ("unasked-304", lambda base: (304, b"", {})),
}
REGISTRY_PATH = "/data/software.json"


def shared_registry() -> list[dict]:
    path = require_shared(SHARED / "registry" / "software.json")
    return json.loads(path.read_text(encoding="utf-8"))


def etag_of(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:16]}"'


def conditional(body: bytes, *, etag: bool = True, asked: list | None = None):
    """An answer that sends an ETag (unless etag=False) and Last-Modified, and honours
    If-None-Match (else If-Modified-Since); `asked` collects the validators each request sent."""
    tag = etag_of(body)
    headers = {"Last-Modified": "Tue, 11 Aug 2026 10:00:00 GMT"}
    if etag:
        headers["ETag"] = tag

    def answer(request):
        if asked is not None:
            asked.append(
                (request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since"))
            )
        if etag and request.headers.get("If-None-Match") == tag:
            return 304, b"", {"ETag": tag}
        if not etag and request.headers.get("If-Modified-Since") == headers["Last-Modified"]:
            return 304, b"", {}
        return 200, body, headers

    return answer


@dataclass
class RegistrySite:
    """The server, the registry it serves (editable: `publish()` after a change) and the
    entries' DOAP paths."""

    site: ThreadedSite
    entries: list[dict] = field(default_factory=list)
    doap_paths: dict[str, str] = field(default_factory=dict)  # name -> path on the server
    asked: list = field(default_factory=list)  # validators sent for the 13 files

    @property
    def url(self) -> str:
        return self.site.url + REGISTRY_PATH

    def publish(self, entries: list[dict] | None = None) -> None:
        if entries is not None:
            self.entries = entries
        body = json.dumps(self.entries).encode()
        self.site.files[REGISTRY_PATH] = (200, body, {"Content-Type": "application/json"})

    def serve_doap(self, name: str, answer) -> None:
        self.site.files[self.doap_paths[name]] = answer

    def entry(self, name: str) -> dict:
        return next(entry for entry in self.entries if entry["name"] == name)


def build(site: ThreadedSite, doap_dir: Path) -> RegistrySite:
    """The shared registry with its DOAP URLs pointed at site, the 13 files served with
    ETags, the hostile answers of SPECIAL in place."""
    registry = RegistrySite(site)
    entries = shared_registry()
    for number, entry in enumerate(entries):
        doap = entry["doap"]
        if not doap:
            continue
        name = entry["name"]
        if doap.startswith("/"):
            path = doap  # resolved against REGISTRY_DOAP_BASE, the server
        elif name in SHARED_FILES:
            path = f"/doap/{SHARED_FILES[name]}"
        elif name in SPECIAL:
            path = f"/{SPECIAL[name][0]}/{number}"
        else:
            path = f"/missing/{number}.doap"
        entry["doap"] = path if doap.startswith("/") else site.url + path
        registry.doap_paths.setdefault(name, path)
        if name in SHARED_FILES:
            body = (doap_dir / SHARED_FILES[name]).read_bytes()
            site.files[path] = conditional(body, asked=registry.asked)
        elif name in SPECIAL:
            site.files[path] = SPECIAL[name][1](site.url)
    site.files["/loop/aparte"] = redirect("/loop/aparte")
    registry.publish(entries)
    return registry
