"""Benchmark: parse and import every DOAP file of ../shared/doap/ (median of N rounds).

    .venv/bin/python bench/doap_import.py [--rounds 20] [--shared ../shared]

Uses the configured database (DATABASE_URL, else SQLite); creates a scratch test database.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from compliance.doap.importer import import_doap
    from compliance.doap.parse import parse_doap

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        files = sorted((args.shared / "doap").glob("*.doap"))
        print(f"{'file':<24}{'bytes':>8}{'parse ms':>10}{'import ms':>11}{'claims':>8}")
        for path in files:
            data = path.read_bytes()
            parse_times, import_times = [], []
            for _ in range(args.rounds):
                started = time.perf_counter()
                parse_doap(data)
                parse_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                result = import_doap(str(path))
                import_times.append(time.perf_counter() - started)
            print(
                f"{path.name:<24}{len(data):>8}{statistics.median(parse_times) * 1000:>10.1f}"
                f"{statistics.median(import_times) * 1000:>11.1f}{result.claims:>8}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
