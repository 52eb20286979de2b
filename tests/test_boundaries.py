"""The architecture, checked: which top-level package may import which.

suites/ (the core) imports no other package of the project; probes/ imports only suites/;
neither loads Django or Celery; and the import graph of the top-level packages has no cycle.
"""

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("suites", "probes", "compliance", "api", "dashboard")
# Who may import whom; anything not listed is a violation.
ALLOWED = {
    "suites": set(),
    "probes": {"suites"},
    "compliance": {"suites", "probes"},
    "api": {"suites", "compliance"},
    "dashboard": {"suites", "probes", "compliance", "api"},
}


def imported_packages(path: Path) -> set[str]:
    """The project's top-level packages a module imports (at any depth of the module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(PACKAGES)
    return found


def package_graph() -> dict[str, set[str]]:
    graph = {package: set() for package in PACKAGES}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            graph[package] |= imported_packages(path) - {package}
    return graph


def test_each_package_imports_only_what_it_may():
    graph = package_graph()
    assert {package: graph[package] - ALLOWED[package] for package in PACKAGES} == dict.fromkeys(
        PACKAGES, set()
    )


def test_the_packages_import_each_other_without_a_cycle():
    try:
        order = list(TopologicalSorter(package_graph()).static_order())
    except CycleError as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"import cycle between top-level packages: {exc.args[1]}")
    assert order.index("suites") < order.index("probes") < order.index("compliance")
    assert order.index("compliance") < order.index("api")


@pytest.mark.parametrize("modules", ["suites, suites.address, suites.diff", "probes, probes.cli"])
def test_the_core_and_the_probes_load_neither_django_nor_celery(modules):
    """In a fresh interpreter: importing them (and every probe check) pulls in no framework."""
    code = (
        f"import sys, {modules}, suites.statuses, probes.checks, probes.runner\n"
        "loaded = sorted({name.split('.')[0] for name in sys.modules} & {'django', 'celery'})\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
