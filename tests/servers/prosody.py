"""Real Prosody processes for the probe tests: loopback only, own ports, own config and data.

Debian's package is used as installed. Each instance gets a directory under /tmp (readable by the
`prosody` user), a config file generated here, certificates from the test CA and its own accounts
(registered with prosodyctl). When the tests run as root, Prosody runs as the `prosody` user
through setpriv (it refuses to run as root); otherwise as the current user. Stopped by its PID.
`zone_for` gives the DNS records a deployment of it would publish, `options_for` the probe's
options for it (through a LoopbackDNS serving that zone, trusting the test CA).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from probes.options import Options
from tests.servers import LOOPBACK, closed_port, free_port
from tests.servers.dns import LoopbackDNS, Zone
from tests.servers.pki import CertificateAuthority

PROSODY = shutil.which("prosody")
PROSODYCTL = shutil.which("prosodyctl")
DOMAIN = "probe.test"
USER, PASSWORD = "tester", "s3cret-pass word"

HOST_META_XRD = """<?xml version='1.0' encoding='utf-8'?>
<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>
  <Link rel='urn:xmpp:alt-connections:xbosh' href='{https}/http-bind'/>
  <Link rel='urn:xmpp:alt-connections:websocket' href='{wss}/xmpp-websocket'/>
</XRD>
"""
HOST_META_JRD = """{{"links": [
  {{"rel": "urn:xmpp:alt-connections:xbosh", "href": "{https}/http-bind"}},
  {{"rel": "urn:xmpp:alt-connections:websocket", "href": "{wss}/xmpp-websocket"}}
]}}
"""

# The modules of the feature-rich configuration: the IM, Mobile, Web and Core server columns, as
# far as Debian's Prosody 0.12 ships them (no mod_cloud_notify: XEP-0357 is not available).
RICH_MODULES = [
    "roster",
    "saslauth",
    "tls",
    "disco",
    "posix",
    "ping",
    "version",
    "time",
    "uptime",
    "carbons",
    "pep",
    "private",
    "blocklist",
    "vcard4",
    "vcard_legacy",
    "bookmarks",
    "mam",
    "csi_simple",
    "smacks",
    "register",
    "server_contact_info",
    "external_services",
    "bosh",
    "websocket",
    "http_files",
]
MINIMAL_MODULES = ["roster", "saslauth", "tls", "disco", "posix"]


def _lua(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str | Path):
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "{ " + "; ".join(_lua(v) for v in value) + " }"
    if isinstance(value, dict):
        return "{ " + "; ".join(f"{k} = {_lua(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


@dataclass
class Prosody:
    """One Prosody instance; `rich` selects the feature-rich or the minimal configuration."""

    ca: CertificateAuthority
    rich: bool
    domain: str = DOMAIN
    directory: Path = field(init=False)
    c2s_port: int = field(init=False)
    direct_tls_port: int = field(init=False)
    https_port: int = field(init=False)
    process: subprocess.Popen | None = None

    def __post_init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="probe-prosody-"))
        self.directory.chmod(0o755)
        self.c2s_port, self.direct_tls_port, self.https_port = (free_port() for _ in range(3))

    @property
    def http_base(self) -> str:
        return f"https://{self.domain}:{self.https_port}"

    @property
    def config_path(self) -> Path:
        return self.directory / "prosody.cfg.lua"

    @property
    def log_path(self) -> Path:
        return self.directory / "prosody.log"

    def _run_as(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        return ["setpriv", "--reuid=prosody", "--regid=prosody", "--init-groups", "--"]

    def _own(self, *paths: Path) -> None:
        if os.geteuid() == 0:
            entry = pwd.getpwnam("prosody")
            for path in paths:
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def _write_files(self) -> None:
        certs = self.directory / "certs"
        certs.mkdir()
        leaf = self.ca.issue("leaf", [self.domain, f"*.{self.domain}"], valid_days=90)
        for suffix, source in (("crt", leaf.certificate), ("key", leaf.key)):
            shutil.copy(source, certs / f"{self.domain}.{suffix}")
        data, www = self.directory / "data", self.directory / "www"
        data.mkdir()
        www.mkdir()
        wss = self.http_base.replace("https://", "wss://")
        (www / "host-meta").write_text(HOST_META_XRD.format(https=self.http_base, wss=wss))
        (www / "host-meta.json").write_text(HOST_META_JRD.format(https=self.http_base, wss=wss))
        self._own(self.directory, certs, data, www, *certs.iterdir())
        self.config_path.write_text(self.config())

    def config(self) -> str:
        ssl = {
            "certificate": self.directory / "certs" / f"{self.domain}.crt",
            "key": self.directory / "certs" / f"{self.domain}.key",
        }
        options = {
            "pidfile": self.directory / "prosody.pid",
            "data_path": self.directory / "data",
            "log": {"info": self.log_path},
            "interfaces": ["127.0.0.1"],
            "local_interfaces": ["127.0.0.1"],
            "c2s_ports": [self.c2s_port],
            "c2s_direct_tls_ports": [self.direct_tls_port] if self.rich else [],
            "http_ports": [],
            "https_ports": [self.https_port] if self.rich else [],
            "http_interfaces": ["127.0.0.1"],
            "https_interfaces": ["127.0.0.1"],
            "certificates": self.directory / "certs",
            "ssl": ssl,
            "https_ssl": ssl,
            "c2s_require_encryption": True,
            "authentication": "internal_hashed",
            "storage": "internal",
            "modules_enabled": RICH_MODULES if self.rich else MINIMAL_MODULES,
            "modules_disabled": ["s2s", "offline"],
            "allow_registration": self.rich,
        }
        if self.rich:
            options |= {
                "contact_info": {"abuse": ["mailto:abuse@probe.test"]},
                "external_services": [
                    {"type": "stun", "transport": "udp", "host": "stun.probe.test", "port": 3478}
                ],
                "http_files_dir": self.directory / "www",
                "http_paths": {"files": "/.well-known"},
            }
        lines = [f"{key} = {_lua(value)}" for key, value in options.items()]
        lines.append(f"VirtualHost {_lua(self.domain)}")
        if self.rich:
            lines += [
                f'Component {_lua("conference." + self.domain)} "muc"',
                '  modules_enabled = { "muc_mam" }',
                f'Component {_lua("rooms." + self.domain)} "muc"',
                "  restrict_room_creation = true",
                f'Component {_lua("upload." + self.domain)} "http_file_share"',
                "  http_file_share_size_limit = 1048576",
            ]
        return "\n".join(lines) + "\n"

    def register(self, user: str, password: str) -> None:
        subprocess.run(
            [
                *self._run_as(),
                PROSODYCTL,
                "--config",
                str(self.config_path),
                "register",
                user,
                self.domain,
                password,
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )

    def start(self, timeout: float = 20.0) -> Prosody:
        self._write_files()
        self.register(USER, PASSWORD)
        log = (self.directory / "stdout.log").open("wb")
        self.process = subprocess.Popen(
            [*self._run_as(), PROSODY, "-F", "--config", str(self.config_path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        ports = [self.c2s_port] + ([self.direct_tls_port, self.https_port] if self.rich else [])
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Prosody exited at start-up:\n{self.output()}")
            if all(_listening(port) for port in ports):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"Prosody did not listen within {timeout:g} s:\n{self.output()}")

    def output(self) -> str:
        parts = []
        for path in (self.directory / "stdout.log", self.log_path):
            if path.exists():
                parts.append(path.read_text(errors="replace")[-4000:])
        return "\n".join(parts)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        shutil.rmtree(self.directory, ignore_errors=True)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def zone_for(server: Prosody) -> Zone:
    """SRV and address records for a Prosody instance, as a real deployment would publish them."""
    zone = Zone()
    for name in (DOMAIN, f"xmpp.{DOMAIN}", f"conference.{DOMAIN}", f"upload.{DOMAIN}"):
        zone.address(name, "127.0.0.1")
    zone.srv(f"_xmpp-client._tcp.{DOMAIN}", f"xmpp.{DOMAIN}", server.c2s_port)
    if server.rich:
        zone.srv(f"_xmpps-client._tcp.{DOMAIN}", f"xmpp.{DOMAIN}", server.direct_tls_port)
    return zone


def options_for(server: Prosody, dns: LoopbackDNS, *, account: bool = True, **extra) -> Options:
    """Options probing a test Prosody through the loopback DNS, trusting the test CA."""
    values = {
        "domain": DOMAIN,
        "ca_file": str(server.ca.path),
        "nameserver": dns.nameserver,
        "allow_networks": LOOPBACK,
        "http_base": server.http_base if server.rich else f"https://{DOMAIN}:{closed_port()}",
        "check_timeout": 10.0,
        "run_timeout": 30.0,
    }
    if account:
        values |= {"jid": f"{USER}@{DOMAIN}", "password": PASSWORD}
    return Options(**(values | extra))
