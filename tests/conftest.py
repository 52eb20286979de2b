"""Shared fixtures. Tests may read ../shared/ (reference data); the project never does."""

import os
import ssl
import tempfile
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model

from tests.servers.http import ThreadedSite
from tests.servers.pki import CertificateAuthority
from tests.servers.smtp import LoopbackSMTP

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.servers.fixtures"]  # Prosody, DNS and the test CA, for any live test


def find_shared() -> Path:
    """../shared/ next to the checkout, else $SHARED_DIR, else the workplace's copy."""
    candidates = [os.environ.get("SHARED_DIR"), ROOT.parent / "shared", "/work/shared"]
    for candidate in filter(None, candidates):
        if Path(candidate, "README.md").exists():
            return Path(candidate)
    return ROOT.parent / "shared"


SHARED = find_shared()
DOAP_DIR = SHARED / "doap"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_shared(path: Path) -> Path:
    """The reference file at path; skipped (failed under CI) when ../shared/ is absent."""
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: CI needs ../shared/")
        pytest.skip(f"{path} is not available (../shared/ holds the reference data)")
    return path


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite the test database is a file of this pytest process, not memory: live tests'
    workers (threads, and processes such as a worker killed mid-run) share it, with SQLite's
    file locking instead of the shared cache's immediate "table is locked"."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = Path(tempfile.gettempdir()) / f"dashboard-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(scope="session")
def fact_sheet() -> dict:
    """The reference suite tables, ../shared/suites/suites.yaml."""
    with require_shared(SHARED / "suites" / "suites.yaml").open() as fh:
        return yaml.safe_load(fh)


@pytest.fixture
def doap_dir() -> Path:
    return require_shared(DOAP_DIR)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches (the locmem ones live as long as pytest): the default
    one and the rendered readings (compliance/pages/rendered.py)."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["renders"].clear()


@pytest.fixture(params=["database", "redis"])
def versions(request, settings):
    """Each way cached badges and readings follow their entry (compliance/versions.py): the
    database's stamp (each process's own cache) and tokens in Redis (production's shared cache;
    keys of this test's own, so that other test runs sharing the server are left alone).
    Gives the mode's name."""
    renders = settings.CACHES["renders"]
    own = f"test-{os.getpid()}-{os.urandom(4).hex()}"
    if request.param == "database":
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": own}
    else:
        import redis

        url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            if IN_CI:
                pytest.fail(f"Redis at {url} is needed under CI: {exc}")
            pytest.skip(f"no Redis at {url}: {exc}")
        default = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": own,
        }
    settings.CACHES = {"default": default, "renders": renders}
    return request.param


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that the site sends its mail to."""
    with LoopbackSMTP() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def make_user(db):
    def make(name: str, **fields):
        return get_user_model().objects.create_user(
            name, f"{name}@vendor.example", "a long test password", **fields
        )

    return make


@pytest.fixture(scope="session")
def vendor_pki():
    return CertificateAuthority(Path(tempfile.mkdtemp(prefix="vendor-pki-")))


@pytest.fixture
def https_site(vendor_pki, settings):
    """An HTTPS server on 127.0.0.1 with a certificate of the test CA, which the site's fetches
    trust (FETCH_CA_FILE), and whose network ownership proofs may reach."""
    files = vendor_pki.issue("site", ["127.0.0.1"])
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(files.certificate, files.key)
    settings.FETCH_CA_FILE = str(vendor_pki.path)
    settings.OWNERSHIP_ALLOW_NETWORKS = ["127.0.0.0/8"]
    settings.OWNERSHIP_PROOF_TIMEOUT = 2
    with ThreadedSite(ssl_context=context) as site:
        yield site
