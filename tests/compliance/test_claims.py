"""Which claim counts, and Software.statuses following every write to the claims."""

import pytest

from compliance import catalogue
from compliance.claims import (
    counted,
    engine_statuses,
    pack_statuses,
    self_assessed_statuses,
    unpack_statuses,
)
from compliance.doap.importer import import_doap
from compliance.models import Claim, Software
from compliance.models.software import refresh_all_statuses
from compliance.suite_loader import load_suites


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


@pytest.fixture
def software(db):
    return Software.objects.create(name="S", slug="s", role="client")


def stored(software) -> dict:
    software.refresh_from_db()
    return software.statuses


def test_statuses_pack_into_two_lists_and_back():
    statuses = {"RFC 6120": "complete", "XEP-0030": "complete", "XEP-0045": "partial"}
    assert pack_statuses(statuses) == ("RFC 6120|XEP-0030", "XEP-0045")
    assert unpack_statuses(*pack_statuses(statuses)) == statuses
    assert unpack_statuses("", "") == {}


def test_saving_and_deleting_a_claim_updates_the_statuses(software):
    claim = Claim.objects.create(
        software=software, spec="XEP-0030", status=" Complete", source="doap"
    )
    assert stored(software) == {"XEP-0030": "complete"}
    Claim.objects.create(software=software, spec="XEP-0030", status="wontfix", source="self")
    assert stored(software) == {}  # the self claim counts, and wontfix is not support
    claim.status = "partial"
    claim.save()
    assert stored(software) == {}
    Claim.objects.get(source="self").delete()
    assert stored(software) == {"XEP-0030": "partial"}


def test_statuses_keep_only_specs_the_suites_name(software):
    Claim.objects.create(software=software, spec="XEP-0999", status="complete")
    Claim.objects.create(software=software, spec="RFC 6120", status="complete")
    assert stored(software) == {"RFC 6120": "complete"}


def test_deleting_a_software_with_claims_works(software):
    Claim.objects.create(software=software, spec="XEP-0030", status="complete")
    software.delete()
    assert not Claim.objects.exists()


def test_an_import_leaves_statuses_equal_to_its_claims(doap_dir, db):
    software = import_doap(str(doap_dir / "movim.doap")).software
    claims = software.claims.values_list("spec", "status", "source")
    assert stored(software) == engine_statuses(claims, catalogue.provider_specs())
    assert "XEP-0463" not in stored(software)  # status "parial" is no support
    assert stored(software)["XEP-0045"] == "partial"


def test_load_suites_repairs_statuses(doap_dir, db):
    software = import_doap(str(doap_dir / "gajim.doap")).software
    expected = stored(software)
    Software.objects.filter(pk=software.pk).update(complete_specs="XEP-0001", partial_specs="")
    assert load_suites().software_refreshed == 1
    assert stored(software) == expected
    assert refresh_all_statuses() == 0
