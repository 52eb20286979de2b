"""Reading the registry's list exactly (pure: no database)."""

import json

import pytest

from compliance.registry.parse import (
    MAX_ENTRIES,
    RegistryError,
    parse_registry,
    registry_role,
)
from tests.compliance.registry.registry_site import shared_registry

BASE = "https://xmpp.org"


def entry(name="Example", **fields):
    return {"name": name, "categories": ["client"], "doap": None, "url": None, "platforms": []} | (
        fields
    )


def parse(entries):
    return parse_registry(json.dumps(entries).encode(), BASE)


def test_it_reads_the_shared_registry():
    items, bad = parse(shared_registry())
    assert len(items) == 194
    assert sum(1 for item in items if item.doap_url) == 86
    assert [b.reason for b in bad] == [
        "Registry entry 155 is refused: its name is also entry 154's; only the first is read."
    ]
    hosted = next(item for item in items if item.name == "libstrophe")
    assert hosted.doap == "/hosted-doap/libstrophe.doap"
    assert hosted.doap_url == "https://xmpp.org/hosted-doap/libstrophe.doap"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>", "not JSON"),
        (b'{"name": "x"}', "not a JSON list but a dict"),
        (b"[]", "empty list"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[" * 100000 + b"]" * 100000, "nests too deeply|not JSON"),
        (json.dumps([entry(f"E{i}") for i in range(MAX_ENTRIES + 1)]).encode(), "more than"),
        (json.dumps([entry(f"E{i}") for i in range(10000)]).encode(), "10000 entries"),
    ],
)
def test_a_list_that_cannot_be_read_is_refused_whole(data, message):
    with pytest.raises(RegistryError, match=message):
        parse_registry(data, BASE)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (entry(extra=1), "unknown keys: 'extra'"),
        ({"name": "Example", "categories": ["client"]}, "lacks the keys doap, platforms, url"),
        (entry("<script>alert(1)</script>"), "holds markup"),
        (entry("Bell\x07"), "control characters"),
        (entry(" Padded"), "surrounding spaces"),
        (entry(""), "not a non-empty string"),
        (entry(42), "not a non-empty string"),
        (entry("x" * 201), "longer than 200"),
        (entry(categories=["bot"]), "not 'bot'"),
        (entry(categories=[]), "not none"),
        (entry(doap="ftp://example.org/x.doap"), "is not an http(s) URL"),
        (entry(doap="javascript:alert(1)"), "is not an http(s) URL"),
        (entry(doap=7), "neither null nor a URL"),
        (entry(url="javascript:alert(1)"), "url 'javascript:alert(1)' is not an http(s) URL"),
        (entry(platforms="Linux"), "not a list of strings"),
        (entry(platforms=["x" * 101]), "longer than 100"),
        ("Example", "not an object"),
    ],
)
def test_an_entry_that_breaks_the_format_is_refused_with_the_reason(raw, message):
    items, bad = parse([entry("Good"), raw])
    assert [item.name for item in items] == ["Good"]
    assert len(bad) == 1
    assert bad[0].position == 2
    assert bad[0].reason.startswith("Registry entry 2 is refused: ")
    assert message in bad[0].reason


def test_names_with_ampersands_are_names():
    items, bad = parse([entry("V&V Messenger")])
    assert [item.name for item in items] == ["V&V Messenger"]
    assert not bad


def test_a_name_or_doap_used_twice_refuses_the_later_entry():
    doap = "https://example.org/a.doap"
    items, bad = parse([entry("A", doap=doap), entry("a"), entry("B", doap=doap)])
    assert [item.name for item in items] == ["A"]
    assert [(b.name, b.position) for b in bad] == [("a", 2), ("B", 3)]
    assert "also entry 1's" in bad[0].reason
    assert "DOAP URL is also entry 1's" in bad[1].reason


@pytest.mark.parametrize(
    ("categories", "role", "why"),
    [
        (("client",), "client", ""),
        (("integrated-platform", "client"), "client", ""),
        (("integrated-platform", "library"), "library", ""),
        (("library", "server"), None, "several roles (library, server)"),
        (("tool",), None, "as a tool, which"),
        (("component",), None, "as a server component"),
        (("integrated-platform",), None, "as an integrated platform"),
    ],
)
def test_the_registry_role(categories, role, why):
    found, reason = registry_role(categories)
    assert found == role
    assert why in reason
    assert bool(reason) == (role is None)
