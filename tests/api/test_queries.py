"""The hot API reads make a fixed number of queries, whatever the number of claims or entries."""

import pytest

from compliance.claims import ClaimValues, write_claims
from compliance.models import Claim
from suites import catalogue
from tests.compliance.factories import TEST, make_many, make_software

pytestmark = pytest.mark.django_db

# The suites' specs first, then other XEPs: up to 100 claims.
SPECS = sorted(catalogue.provider_specs()) + [f"XEP-{n:04d}" for n in range(500, 600)]


def entry_with(count: int):
    software = make_software(f"Claims {count}")
    claims = [ClaimValues(spec, Claim.DOAP, "complete") for spec in SPECS[:count]]
    write_claims(software, actor=TEST, put=claims)
    return software


@pytest.mark.parametrize("count", [5, 100])
@pytest.mark.parametrize(
    ("path", "first", "then"), [("", 3, 1), ("verdicts/", 2, 1), ("history/", 3, 3)]
)
def test_it_reads_an_entry_in_queries_independent_of_its_claims(
    api, django_assert_num_queries, versions, count, path, first, then
):
    """The entry and its verdicts are cached until the entry changes: then one query, the
    entry's stamp, or none with Redis (compliance/versions.py)."""
    software = entry_with(count)
    with django_assert_num_queries(first):
        assert api.get(f"/api/v1/software/{software.slug}/{path}").status_code == 200
    if versions == "redis" and path != "history/":
        then = 0
    with django_assert_num_queries(then):
        assert api.get(f"/api/v1/software/{software.slug}/{path}").status_code == 200


@pytest.mark.parametrize("count", [5, 100])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/software/", 3),  # the count, the page, the examples left out
        ("/api/v1/software/?compliant=2023/im/client", 2),
        ("/api/v1/compare/2023/im/client/", 2),
        ("/api/v1/specs/RFC-6120/", 1),
        ("/api/v1/export/", 2),
    ],
)
def test_it_lists_in_queries_independent_of_the_entries(
    api, django_assert_num_queries, count, url, queries
):
    make_many(count)
    with django_assert_num_queries(queries):
        assert api.get(url).status_code == 200
