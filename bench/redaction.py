"""Benchmark: redacting hostile text (probes.evidence), side by side with linear baselines.

    .venv/bin/python -m bench.redaction [--rounds 20] [--before]    (from the repository's root)

For each shape of hostile text (what made a pattern of the old redaction rescan a run at every
position), at 128 KiB and 512 KiB: the median time of `redact` (the whole evidence path: literal
secrets replaced in the whole text, then its first 64 KiB redacted and cut), of `redact_urls`
(HTTP exchanges and error messages; also cut at 64 KiB), of `redact_patterns` (every pattern over
the whole text, uncut: how the patterns themselves scale) and, on the same text in the same run,
of two linear baselines: `str.lower()` and a trivial regex substitution touching every run of
delimiters. Growth is the 512 KiB time over the 128 KiB time: linear is about 4, bounded 1.
`--before` also times the old URL pattern (quadratic) on 16 and 32 KiB of letters and dots.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable

from probes.evidence import redact, redact_patterns, redact_urls

SHAPES = {
    "letters and dots": "a.",
    "unclosed <auth tags": "<auth ",
    "unclosed <password tags": "<password ",
    "secret <header names, no '>'": "<header name='cookie' ",
    "password attributes, quotes unmatched": "password='x\"",
    "userinfo without '@'": "a:/x",
}
SIZES = {"128 KiB": 128 * 1024, "512 KiB": 512 * 1024}
TRIVIAL = re.compile(r"[\s'\"<>]+")  # a linear scan of every character
OLD_URL = re.compile(  # the URL pattern before the review: \b, and an unbounded scheme
    r"\b([a-z][a-z0-9+.-]*://)([^/?#@\s'\"<>]*@)?([^?#\s'\"<>]*)(\?[^#\s'\"<>]*)?", re.IGNORECASE
)


def hostile(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def median_ms(work: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--before", action="store_true", help="time the old URL pattern too")
    args = parser.parse_args()

    columns = ("redact", "redact_urls", "patterns, uncut", "str.lower", "trivial regex")
    print(f"{'shape':<40}{'size':>9}" + "".join(f"{c + ' ms':>19}" for c in columns))
    growth: dict[str, list[float]] = {c: [] for c in columns}
    slowest: list[float] = []
    for name, unit in SHAPES.items():
        measured = {}
        for label, size in SIZES.items():
            text = hostile(unit, size)
            row = {
                "redact": median_ms(lambda t=text: redact(t, ["s3cret"]), args.rounds),
                "redact_urls": median_ms(lambda t=text: redact_urls(t), args.rounds),
                "patterns, uncut": median_ms(lambda t=text: redact_patterns(t), args.rounds),
                "str.lower": median_ms(text.lower, args.rounds),
                "trivial regex": median_ms(lambda t=text: TRIVIAL.sub(" ", t), args.rounds),
            }
            measured[label] = row
            print(f"{name:<40}{label:>9}" + "".join(f"{row[c]:>19.2f}" for c in columns))
        for column in columns:
            growth[column].append(measured["512 KiB"][column] / measured["128 KiB"][column])
        slowest.append(measured["512 KiB"]["redact"])
    print(
        "\nGrowth 128 KiB -> 512 KiB (x4 the text), median over the shapes: "
        + ", ".join(f"{c} x{statistics.median(g):.1f}" for c, g in growth.items())
    )
    print(f"Slowest redact of 512 KiB: {max(slowest):.2f} ms (goal: under 50 ms)")
    if args.before:
        for size in (16 * 1024, 32 * 1024):
            text = hostile("a.", size)
            ms = median_ms(lambda t=text: OLD_URL.sub("", t), 1)
            print(f"Old URL pattern, letters and dots, {size // 1024} KiB: {ms:.0f} ms")


if __name__ == "__main__":
    main()
