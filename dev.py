#!/usr/bin/env python3
"""The README's two commands, for a fresh machine with Python 3.11+ and nothing else.

    python3 dev.py run    set up (virtualenv, database, suites, example entries into an empty
                          database) and serve :8000, with a Celery worker (DOAP refreshes,
                          probes) and beat beside it
    python3 dev.py test   set up and run the linter and every test

DATABASE_URL (PostgreSQL) and REDIS_URL switch from the embedded defaults to real services.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("VENV_DIR", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def sh(*args: str | Path) -> None:
    print("+", " ".join(map(str, args)), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def ensure_environment(requirements: str) -> None:
    """A virtualenv with the pinned requirements, reinstalled only when the file changes."""
    if not PYTHON.exists():
        print(f"Creating a virtualenv in {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / f".installed-{requirements}"
    digest = hashlib.sha256()
    for name in ("requirements.txt", requirements):
        digest.update((ROOT / name).read_bytes())
    if not stamp.exists() or stamp.read_text() != digest.hexdigest():
        sh(
            PYTHON,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            ROOT / requirements,
        )
        stamp.write_text(digest.hexdigest())


def background(*args: str) -> subprocess.Popen:
    print("+", " ".join(args), "&", flush=True)
    return subprocess.Popen([str(PYTHON), "-m", "celery", "-A", "dashboard", *args], cwd=ROOT)


def run() -> None:
    ensure_environment("requirements.txt")
    sh(PYTHON, "manage.py", "migrate", "--no-input")
    sh(PYTHON, "manage.py", "load_demo", "--if-empty")
    # The worker and beat use the same broker as the site (the file system unless REDIS_URL);
    # the prefork pool enforces the tasks' time limits (Windows has only the solo pool).
    pool = ["-P", "solo"] if os.name == "nt" else ["-P", "prefork", "-c", "2"]
    schedule = Path(os.environ.get("VAR_DIR") or ROOT / "var") / "celerybeat-schedule"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the helpers too (finally)
    helpers = [
        background("worker", "-Q", "doap,probes", *pool, "-l", "INFO"),
        background("beat", "-l", "INFO", "-s", str(schedule)),
    ]
    try:
        sh(PYTHON, "manage.py", "runserver", os.environ.get("ADDRESS", "127.0.0.1:8000"))
    finally:
        for process in helpers:
            process.terminate()
        for process in helpers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def ensure_axe() -> None:
    """axe-core for the accessibility test, pinned in tests/browser/axe/package-lock.json and
    installed with npm when missing (without npm the test installs nothing and is skipped)."""
    axe = ROOT / "tests" / "browser" / "axe"
    if not (axe / "node_modules" / "axe-core" / "axe.min.js").exists() and shutil.which("npm"):
        sh("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", axe)


def test() -> None:
    ensure_environment("requirements-dev.txt")
    ensure_axe()
    sh(BIN / "ruff", "check", ".")
    sh(BIN / "ruff", "format", "--check", ".")
    sh(PYTHON, "-m", "pytest", *sys.argv[2:])


COMMANDS = {"run": run, "test": test}

if __name__ == "__main__":
    if sys.version_info < (3, 11):  # noqa: UP036 - say so clearly on an older Python
        sys.exit("Python 3.11 or newer is needed.")
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    try:
        COMMANDS[sys.argv[1]]()
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
