"""Production settings: a WSGI server refuses the development key, the documented production
environment passes `check --deploy` without a warning, and every response carries a CSP."""

import base64
import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PRODUCTION = {  # the environment README.md documents for production
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "PROBE_CREDENTIALS_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "ALLOWED_HOSTS": "compliance.example.org",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


def environment(**changes: str | None) -> dict[str, str]:
    unset = ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the last: set by Playwright
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(PRODUCTION)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def started(args: list[str], **changes: str | None) -> subprocess.CompletedProcess:
    """A process of the project in the production environment, with these changes."""
    return subprocess.run(
        args, cwd=ROOT, env=environment(**changes), capture_output=True, text=True, timeout=60
    )


def test_check_deploy_finds_nothing_in_the_documented_production_environment(tmp_path):
    result = started(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_wsgi_app_refuses_the_development_key_without_debug(tmp_path):
    result = started(
        [sys.executable, "-c", "import dashboard.wsgi"], SECRET_KEY=None, VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "Refusing to serve: SECRET_KEY is the development default" in result.stderr


def test_gunicorn_as_the_dockerfile_runs_it_does_not_serve_with_the_development_key(tmp_path):
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    result = started(
        [gunicorn, "dashboard.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"],
        SECRET_KEY=None,
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "Refusing to serve: SECRET_KEY is the development default" in result.stderr


def test_a_malformed_proxy_header_setting_stops_the_start(tmp_path):
    result = started(
        [sys.executable, "manage.py", "check"],
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER is a header and a value" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_and_badges_a_stricter_one(client):
    page = client.get("/")
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    badge = client.get("/badge/nothing/2023/im/client.svg")
    assert badge["Content-Security-Policy"] == "default-src 'none'; sandbox"
