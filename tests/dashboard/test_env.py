"""Settings from the environment: invalid values stop the start, secrets come from files, and
reading the settings creates nothing."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from dashboard.env import env_bool, env_choice, env_list, env_number, env_str
from tests.conftest import ROOT


def test_booleans_are_spelled_one_way_or_refused(monkeypatch):
    for value, expected in [("1", True), ("Yes", True), ("off", False), ("0", False)]:
        monkeypatch.setenv("FLAG", value)
        assert env_bool("FLAG", not expected) is expected
    monkeypatch.setenv("FLAG", "")
    assert env_bool("FLAG", True) is True
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of .* not 'maybe'"):
        env_bool("FLAG", True)


@pytest.mark.parametrize("value", ["ten", "nan", "inf", "-1", "1e999"])
def test_numbers_must_be_finite_and_in_range(monkeypatch, value):
    monkeypatch.setenv("SECONDS", value)
    with pytest.raises(ImproperlyConfigured, match="SECONDS must be"):
        env_number("SECONDS", 10.0)


def test_whole_numbers_refuse_fractions(monkeypatch):
    monkeypatch.setenv("AGE", "60")
    assert env_number("AGE", 0, integer=True) == 60
    monkeypatch.setenv("AGE", "1.5")
    with pytest.raises(ImproperlyConfigured, match="AGE must be a whole number"):
        env_number("AGE", 0, integer=True)


def test_choices_and_lists(monkeypatch):
    monkeypatch.setenv("LEVEL", "LOUD")
    with pytest.raises(ImproperlyConfigured, match="LEVEL must be one of DEBUG, INFO"):
        env_choice("LEVEL", "INFO", ("DEBUG", "INFO"))
    monkeypatch.setenv("HOSTS", " a.example, ,b.example ")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_a_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n")
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env_str("TOKEN") == "s3cr3t"
    monkeypatch.setenv("TOKEN", "other")
    with pytest.raises(ImproperlyConfigured, match="Set TOKEN or TOKEN_FILE, not both"):
        env_str("TOKEN")
    monkeypatch.delenv("TOKEN")
    monkeypatch.setenv("TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="TOKEN_FILE: cannot read"):
        env_str("TOKEN")


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "dashboard.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_reading_the_settings_creates_no_directory_and_starting_makes_them(tmp_path):
    var = tmp_path / "var"
    read = run_python("import dashboard.settings", VAR_DIR=str(var))
    assert read.returncode == 0, read.stderr
    assert not var.exists()
    started = run_python("import django; django.setup()", VAR_DIR=str(var))
    assert started.returncode == 0, started.stderr
    assert {p.name for p in var.iterdir()} == {"celery", "staticfiles"}
    assert {p.name for p in (var / "celery").iterdir()} >= {"queue", "processed", "results"}


def test_an_invalid_value_stops_manage_py_with_its_name():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "DOAP_FETCH_TIMEOUT": "soon"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DOAP_FETCH_TIMEOUT must be a number, not 'soon'." in result.stderr
