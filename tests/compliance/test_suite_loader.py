"""The suite files mirrored into the database: the same tables, idempotent, statuses repaired."""

import pytest

from compliance.doap.importer import import_doap
from compliance.models import Software, Spec, SuiteFeature, SuiteYear
from compliance.models.software import refresh_all_statuses
from compliance.suite_loader import load_suites
from suites.catalogue import LEVELS
from tests.fact_sheet import expected_rows


@pytest.mark.django_db
def test_the_database_holds_the_same_tables(fact_sheet):
    rows = {
        (f.category.suite.year, f.category.key, f.position): f
        for f in SuiteFeature.objects.select_related("category__suite")
    }
    assert len(rows) == 163
    for year, key, position, row in expected_rows(fact_sheet):
        stored = rows[(year, key, position)]
        assert stored.name == row["name"]
        assert stored.providers == row["providers"]
        for level in LEVELS:
            assert getattr(stored, level) == row["levels"][level]
            assert stored.notes.get(level) == row["notes"].get(level)
        assert stored.provider_notes == row.get("provider_notes", {})


@pytest.mark.django_db
def test_load_suites_is_idempotent():
    before = list(SuiteFeature.objects.order_by("pk").values())
    report = load_suites()
    assert report.features_created == 0
    assert report.features_deleted == 0
    assert list(SuiteFeature.objects.order_by("pk").values()) == before
    assert SuiteYear.objects.count() == 5
    assert Spec.objects.get(identifier="XEP-0402").title == "PEP Native Bookmarks"


def test_load_suites_repairs_statuses(doap_dir, db):
    software = import_doap(str(doap_dir / "gajim.doap")).software
    expected = software.statuses
    Software.objects.filter(pk=software.pk).update(complete_specs="XEP-0001", partial_specs="")
    assert load_suites().software_refreshed == 1
    software.refresh_from_db()
    assert software.statuses == expected
    assert refresh_all_statuses() == 0
