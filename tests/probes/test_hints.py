"""Remediation hints: the shipped files are valid and name real checks; the hint follows the
software and version the probe read; a malformed file fails with the file and the key."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from probes.checks import CHECKS
from probes.hints import (
    HINTS_DIR,
    HintError,
    hint_for,
    hints_for,
    load_hints,
    parse_version,
    shipped,
)

CHECK_IDS = [check.id for check in CHECKS]
SERVERS = ["ejabberd", "metronome", "mongooseim", "openfire", "prosody", "tigase"]


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


SAMPLE = """\
software: Sample Server
names: [Sample, "Sample XMPP"]
documentation: https://sample.example/doc
hints:
  xep0363-upload:
    - text: Old way.
      config: |
        upload_old = true
      max_version: "0.11"
      source: https://sample.example/doc/old
    - text: >-
        New
        way.
      config: |
        Component "upload.example.org" "share"
            size = 10
      min_version: "0.12"
      source: https://sample.example/doc/new
  xep0313-mam:
    - text: Only from 2.0.
      min_version: "2.0"
      source: https://sample.example/doc/mam
"""


@pytest.fixture
def sample(tmp_path):
    write(tmp_path, "sample.yaml", SAMPLE)
    return load_hints(tmp_path)


# The shipped files


def test_it_ships_one_file_per_server_software():
    assert sorted(path.stem for path in HINTS_DIR.glob("*.yaml")) == SERVERS
    assert len(shipped().servers) == len(SERVERS)


@pytest.mark.parametrize("name", SERVERS)
def test_it_names_only_registered_checks_in_every_file(name):
    data = yaml.safe_load((HINTS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    assert set(data["hints"]) <= set(CHECK_IDS)


@pytest.mark.parametrize("name", SERVERS)
def test_it_loads_every_file_with_a_source_and_text_for_every_hint(name):
    server = next(s for s in shipped().servers if s.path.stem == name)
    assert server.hints
    for check_id, hints in server.hints.items():
        for hint in hints:
            assert hint.check == check_id
            assert hint.software == server.software
            assert hint.source.startswith("https://")
            assert 0 < len(hint.text) <= 400


def test_it_covers_the_checks_configuration_makes_pass_for_every_server():
    needed = {"xep0313-mam", "xep0363-upload", "xep0198-sm", "xep0352-csi", "xep0215-extdisco"}
    for server in shipped().servers:
        assert needed <= set(server.hints), server.software


# Which hint: software and version


def test_it_picks_the_hint_on_each_side_of_a_version_boundary(sample):
    assert sample.hint_for("xep0363-upload", "Sample", "0.11").text == "Old way."
    assert sample.hint_for("xep0363-upload", "Sample", "0.11.14").text == "Old way."
    assert sample.hint_for("xep0363-upload", "Sample", "0.12").text == "New way."
    assert sample.hint_for("xep0363-upload", "Sample", "0.12.0").text == "New way."
    assert sample.hint_for("xep0363-upload", "Sample", "13.0.1").text == "New way."


def test_it_gives_none_for_a_version_no_hint_covers(sample):
    assert sample.hint_for("xep0313-mam", "Sample", "1.9.9") is None
    assert sample.hint_for("xep0313-mam", "Sample", "2.0.1").versions == "2.0 and later"


def test_it_gives_the_hint_for_the_newest_versions_when_the_version_is_unknown(sample):
    for version in (None, "", "trunk nightly build 123", "hg:1a2b3c"):
        hint = sample.hint_for("xep0363-upload", "Sample", version)
        assert hint.text == "New way."
        assert hint.for_recent_versions is True
    assert sample.hint_for("xep0363-upload", "Sample", "0.12.3").for_recent_versions is False


def test_it_matches_the_software_name_case_insensitively(sample):
    for name in ("Sample", "sample", "SAMPLE", "  Sample ", "sample xmpp"):
        assert sample.hint_for("xep0363-upload", name, "0.12") is not None
    assert sample.hint_for("xep0363-upload", "Samples", "0.12") is None
    assert sample.hint_for("xep0363-upload", None, "0.12") is None


def test_it_gives_none_for_unknown_software_or_a_check_without_hint(sample):
    assert sample.hint_for("xep0363-upload", "Unknown Server", "1.0") is None
    assert sample.hint_for("xep0280-carbons", "Sample", "1.0") is None


def test_it_describes_a_hint(sample):
    hint = sample.hint_for("xep0363-upload", "Sample", "0.12")
    assert hint.software == "Sample Server"
    assert hint.check == "xep0363-upload"
    assert hint.config == ('Component "upload.example.org" "share"', "    size = 10")
    assert hint.versions == "0.12 and later"
    assert hint.source == "https://sample.example/doc/new"
    assert sample.hint_for("xep0363-upload", "Sample", "0.11").versions == "0.11 and earlier"
    with pytest.raises(dataclasses.FrozenInstanceError):
        hint.text = "changed"


def test_it_gives_every_hint_of_a_server_in_check_order(sample):
    found = sample.hints_for("sample", "2.1")
    assert list(found) == [c for c in CHECK_IDS if c in {"xep0313-mam", "xep0363-upload"}]
    assert found["xep0363-upload"].text == "New way."
    assert sample.hints_for("sample", "1.0").keys() == {"xep0363-upload"}
    assert sample.hints_for("nobody", "1.0") == {}


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("0.12.3", (0, 12, 3)),
        ("23.01", (23, 1)),
        ("13.0.1", (13, 0, 1)),
        ("4.8.0 build 123", (4, 8, 0)),
        ("8.4.0-b12345/abc123", (8, 4, 0)),
        ("v3.10", (3, 10)),
        ("6.2.1-42-g1a2b3c", (6, 2, 1)),
        ("trunk", None),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_the_numeric_part_of_a_reported_version(text, parsed):
    assert parse_version(text) == parsed


def test_it_follows_the_prosody_version_for_upload_and_push():
    assert "http_upload" in hint_for("xep0363-upload", "Prosody", "0.11.14").config[0]
    assert "http_file_share" in hint_for("xep0363-upload", "Prosody", "0.12.0").config[0]
    assert hint_for("xep0357-push", "prosody", "0.12.5").versions == "0.12 and earlier"
    assert hint_for("xep0357-push", "prosody", "13.0.0").versions == "13.0 and later"
    assert hint_for("xep0357-push", "Prosody", None).for_recent_versions is True


def test_it_follows_the_ejabberd_and_openfire_versions():
    assert hint_for("xep0402-bookmarks", "ejabberd", "23.04").versions == "23.04 and earlier"
    assert hint_for("xep0402-bookmarks", "ejabberd", "23.10").versions == "23.10 and later"
    assert hint_for("xep0352-csi", "Openfire", "4.7.5").versions == "4.7 and earlier"
    assert hint_for("xep0352-csi", "Openfire", "4.8.0 build 123").versions == "4.8.0 and later"
    assert "xep0313-mam" in hints_for("MongooseIM", "6.2.0")
    assert hint_for("xep0313-mam", "Tigase", "7.1.0") is None


# Malformed files: the error names the file and the key


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SAMPLE + "colour: blue\n", r"bad\.yaml: unknown key\(s\) colour"),
        (SAMPLE.replace("software: Sample Server\n", ""), r"bad\.yaml: missing key\(s\) software"),
        (
            SAMPLE.replace("  xep0313-mam:", "  xep9999-nothing:"),
            r"bad\.yaml: hints\.xep9999-nothing: no check has this id",
        ),
        (
            SAMPLE.replace('min_version: "2.0"', 'min_version: "2.0beta"'),
            r"bad\.yaml: hints\.xep0313-mam\[0\]\.min_version: a version",
        ),
        (
            SAMPLE.replace('min_version: "2.0"', "min_version: 2.0"),
            r"bad\.yaml: hints\.xep0313-mam\[0\]\.min_version: .*quoted",
        ),
        (
            SAMPLE.replace('min_version: "2.0"', 'min_version: "2.0"\n      since: 1'),
            r"bad\.yaml: hints\.xep0313-mam\[0\]: unknown key\(s\) since",
        ),
        (
            SAMPLE.replace('max_version: "0.11"', 'max_version: "0.12"'),
            r"bad\.yaml: hints\.xep0363-upload\[1\]: its versions overlap .*\[0\]",
        ),
        (
            SAMPLE.replace('min_version: "2.0"', 'min_version: "2.0"\n      max_version: "1.5"'),
            r"bad\.yaml: hints\.xep0313-mam\[0\]: max_version 1\.5 is before min_version 2\.0",
        ),
        (
            SAMPLE.replace("source: https://sample.example/doc/mam", "source: sample.example"),
            r"bad\.yaml: hints\.xep0313-mam\[0\]\.source: an https:// URL",
        ),
        (
            SAMPLE.replace("    - text: Only from 2.0.", "    - text: ''"),
            r"bad\.yaml: hints\.xep0313-mam\[0\]\.text: a non-empty string",
        ),
        (SAMPLE.replace('names: [Sample, "Sample XMPP"]', "names: []"), r"bad\.yaml: names"),
        ("software: [unclosed\n", r"bad\.yaml: not valid YAML"),
        ("- just a list\n", r"bad\.yaml: a mapping"),
    ],
)
def test_it_refuses_a_malformed_file_naming_the_file_and_the_key(tmp_path, text, message):
    write(tmp_path, "bad.yaml", text)
    with pytest.raises(HintError, match=message):
        load_hints(tmp_path)


def test_it_refuses_two_files_claiming_the_same_name(tmp_path):
    write(tmp_path, "a.yaml", SAMPLE)
    write(tmp_path, "b.yaml", SAMPLE.replace("Sample Server", "Other"))
    with pytest.raises(HintError, match=r"b\.yaml: names: 'sample' is also in a\.yaml"):
        load_hints(tmp_path)


def test_it_validates_check_ids_against_the_ids_it_is_given(tmp_path):
    write(tmp_path, "sample.yaml", SAMPLE)
    with pytest.raises(HintError, match=r"hints\.xep0313-mam: no check has this id"):
        load_hints(tmp_path, check_ids={"xep0363-upload"})
