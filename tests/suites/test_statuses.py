"""Which claim counts for a spec, and the packed statuses the engine reads. Pure."""

from suites.statuses import (
    NOT_YET,
    OTHER,
    UNSTATED,
    counted,
    engine_statuses,
    listed_statuses,
    not_yet,
    pack_listed,
    pack_statuses,
    self_assessed_statuses,
    unpack_listed,
    unpack_statuses,
)


def test_the_self_claim_counts_over_the_doap_one_and_probes_never():
    claims = [
        ("XEP-0030", "complete", "doap", ""),
        ("XEP-0030", "planned", "self", ""),
        ("XEP-0045", "partial", "doap", ""),
        ("XEP-0045", "complete", "probe", ""),
        ("XEP-0163", "complete", "probe", ""),
    ]
    assert self_assessed_statuses(claims) == {"XEP-0030": "planned", "XEP-0045": "partial"}
    assert counted(claims) == {"XEP-0030": 1, "XEP-0045": 2}
    assert self_assessed_statuses(reversed(claims)) == {
        "XEP-0030": "planned",
        "XEP-0045": "partial",
    }


def test_statuses_pack_into_two_lists_and_back():
    statuses = {"RFC 6120": "complete", "XEP-0030": "complete", "XEP-0045": "partial"}
    assert pack_statuses(statuses) == ("RFC 6120|XEP-0030", "XEP-0045")
    assert unpack_statuses(*pack_statuses(statuses)) == statuses
    assert unpack_statuses("", "") == {}


def test_a_claim_newer_than_the_current_version_does_not_count():
    claims = [
        ("XEP-0030", "complete", "doap", "0.9"),
        ("XEP-0045", "complete", "self", "2.0"),
        ("XEP-0198", "partial", "self", ""),
    ]
    assert engine_statuses(claims, {"XEP-0030", "XEP-0045", "XEP-0198"}, "1.5") == {
        "XEP-0030": "complete",
        "XEP-0198": "partial",
    }
    assert not_yet("2.0", "1.5")
    assert not not_yet("1.5", "1.5")
    assert not not_yet("2.0", "")  # no current version: nothing to compare with
    assert engine_statuses(claims, {"XEP-0045"}, "2.0") == {"XEP-0045": "complete"}


def test_it_says_why_listed_specs_do_not_count():
    claims = [
        ("XEP-0030", "", "doap", ""),
        ("XEP-0045", "Deprecated ", "doap", ""),
        ("XEP-0198", "full", "doap", ""),
        ("XEP-0313", "complete", "doap", "2.0"),
        ("XEP-0280", "complete", "doap", ""),
        ("XEP-0363", "planned", "doap", ""),
        ("XEP-0363", "removed", "self", ""),
        ("XEP-0001", "", "doap", ""),
    ]
    providers = {"XEP-0030", "XEP-0045", "XEP-0198", "XEP-0313", "XEP-0280", "XEP-0363"}
    listed = listed_statuses(claims, providers, "1.5")
    assert listed == {
        "XEP-0030": UNSTATED,
        "XEP-0045": "deprecated",
        "XEP-0198": OTHER,
        "XEP-0313": NOT_YET,
        "XEP-0363": "removed",  # the self-assessed claim is the one that counts
    }
    assert unpack_listed(pack_listed(listed)) == listed
    assert pack_listed({}) == ""
    assert unpack_listed("") == {}
