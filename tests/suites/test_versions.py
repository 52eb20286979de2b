"""Comparing product versions as vendors write them. Pure."""

import pytest

from suites.versions import is_newer, version_key


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("1.9", "1.10"),
        ("0.12.3", "0.12.4"),
        ("1.0-beta1", "1.0"),
        ("1.0", "1.0.1"),
        ("23.01", "23.10"),
        ("v1.5", "2.0"),
        ("1.0rc1", "1.0rc2"),
    ],
)
def test_it_orders_versions_part_by_part(older, newer):
    assert is_newer(newer, older)
    assert not is_newer(older, newer)


def test_trailing_zeros_and_a_leading_v_do_not_matter():
    assert version_key("1.0") == version_key("1.0.0") == version_key("v1")
    assert not is_newer("1.0.0", "1.0")


def test_versions_without_a_number_cannot_be_told_apart():
    assert not is_newer("trunk", "1.0")
    assert not is_newer("2.0", "unknown")
