"""What changed from one suite year to the next, computed from the data."""

from suites import catalogue
from suites.diff import diff_suites


def test_the_2020_diff_names_the_unlisted_stream_management_merge():
    changes = [
        (c.category, c.feature, c.detail)
        for c in diff_suites(catalogue.suite(2019), catalogue.suite(2020))
    ]
    assert ("im", "Session Resumption", "row removed") in changes
    assert ("im", "Stream Management", "row added (XEP-0198)") in changes
    assert ("im", "Advanced Group Chat", "providers added: XEP-0411") in changes


def test_the_2022_diff_matches_the_changelog():
    changes = [
        (c.category, c.feature, c.detail)
        for c in diff_suites(catalogue.suite(2021), catalogue.suite(2022))
    ]
    assert changes == [
        ("web", "Connection Mechanism Discovery", "Client: not required → required"),
        ("im", "Advanced Group Chat", "providers removed: XEP-0411"),
        ("im", "Advanced Group Chat", "providers added: XEP-0402"),
    ]


def test_2023_changes_nothing():
    assert diff_suites(catalogue.suite(2022), catalogue.suite(2023)) == []
