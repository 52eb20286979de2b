"""manage.py import_doap with several files: one process, every file on its own."""

import json

import pytest
from django.core.management import CommandError, call_command

from compliance.models import Software

pytestmark = pytest.mark.django_db


def test_it_imports_every_shared_file_in_one_call(doap_dir, capsys):
    paths = sorted(str(path) for path in doap_dir.glob("*.doap"))
    call_command("import_doap", *paths, "--json")
    payload = json.loads(capsys.readouterr().out)
    assert [item["source"] for item in payload] == paths
    assert all(item["created"] for item in payload)
    assert Software.objects.count() == len(paths) == 13
    assert payload[0]["slug"] == "conversations"


def test_a_failing_file_does_not_stop_the_others(doap_dir, tmp_path, capsys):
    broken = tmp_path / "broken.doap"
    broken.write_bytes(b"<rdf:RDF")
    sources = [str(doap_dir / "gajim.doap"), str(broken), str(tmp_path / "absent.doap")]
    sources.append(str(doap_dir / "dino.doap"))
    with pytest.raises(CommandError, match="2 of 4 files could not be imported") as raised:
        call_command("import_doap", *sources, "--json")
    assert raised.value.returncode == 2  # one of them is a usage error
    payload = json.loads(capsys.readouterr().out)
    assert [item.get("slug") for item in payload] == ["gajim", None, None, "dino"]
    assert "not well-formed" in payload[1]["error"]
    assert "No such file" in payload[2]["error"]
    assert set(Software.objects.values_list("slug", flat=True)) == {"gajim", "dino"}


def test_without_json_it_prints_a_line_per_file(doap_dir, tmp_path, capsys):
    broken = tmp_path / "broken.doap"
    broken.write_bytes(b"<rdf:RDF")
    with pytest.raises(CommandError) as raised:
        call_command("import_doap", str(doap_dir / "swift.doap"), str(broken))
    assert raised.value.returncode == 1
    out, err = capsys.readouterr()
    assert out.startswith("Created swift (client): 0 claims")
    assert f"{broken}: " in err


def test_one_file_prints_one_object(doap_dir, capsys):
    call_command("import_doap", str(doap_dir / "swift.doap"), "--json")
    assert json.loads(capsys.readouterr().out)["slug"] == "swift"
