"""Which claim counts for a spec, and the packed statuses the engine reads. Pure."""

from suites.statuses import (
    counted,
    pack_statuses,
    self_assessed_statuses,
    unpack_statuses,
)


def test_the_self_claim_counts_over_the_doap_one_and_probes_never():
    claims = [
        ("XEP-0030", "complete", "doap"),
        ("XEP-0030", "planned", "self"),
        ("XEP-0045", "partial", "doap"),
        ("XEP-0045", "complete", "probe"),
        ("XEP-0163", "complete", "probe"),
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
