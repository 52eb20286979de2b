"""Platforms as vendors write them (DOAP `os` is free text) and as visitors filter them."""

from __future__ import annotations

import re

PLATFORMS = {
    "linux": "Linux",
    "windows": "Windows",
    "macos": "macOS",
    "ios": "iOS",
    "android": "Android",
    "bsd": "BSD",
    "browser": "Browser",
    "haiku": "Haiku",
}
PATTERNS = [
    ("android", re.compile(r"android", re.I)),
    ("ios", re.compile(r"\b(ios|ipados|iphone|ipad)\b", re.I)),
    ("macos", re.compile(r"mac\s*os|osx|os x|\bmac\b", re.I)),
    ("windows", re.compile(r"windows|win32|win64", re.I)),
    ("bsd", re.compile(r"bsd", re.I)),
    ("linux", re.compile(r"linux|gnu|ubuntu|debian|fedora", re.I)),
    ("browser", re.compile(r"browser|web\b", re.I)),
    ("haiku", re.compile(r"haiku", re.I)),
]


def keys_of(names: list[str]) -> list[str]:
    """Normalised keys for free-text platform names: 'Android (Termux)' -> android, in order.

    A name qualifying another platform ("Windows (WSL)") counts as the platform it names first.
    """
    keys: list[str] = []
    for name in names:
        for key, pattern in PATTERNS:
            if pattern.search(name):
                if key not in keys:
                    keys.append(key)
                break
    return keys
