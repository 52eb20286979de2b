"""The catalogue against the fact sheet (../shared/suites/suites.yaml), cell by cell."""

import copy

import pytest
import yaml

from suites import catalogue
from suites.catalogue import LEVELS, CatalogueError, parse_suite
from tests.fact_sheet import CATEGORY_KEYS, expected_rows


def test_it_ships_every_year_of_the_fact_sheet(fact_sheet):
    assert sorted(catalogue.suites()) == sorted(int(year) for year in fact_sheet)


def test_it_matches_the_fact_sheet_cell_by_cell(fact_sheet):
    checked = 0
    for year, key, position, row in expected_rows(fact_sheet):
        feature = catalogue.suite(year).category(key).features[position]
        assert feature.name == row["name"]
        assert list(feature.providers) == row["providers"], (year, key, row["name"])
        assert feature.providers_rule == row["providers_rule"]
        by_level = row.get("providers_rule_by_level") or dict.fromkeys(
            LEVELS, row["providers_rule"]
        )
        for level in LEVELS:
            assert feature.cell(level) == row["levels"][level], (year, key, row["name"], level)
            assert feature.notes.get(level) == row["notes"].get(level), (year, row["name"])
            assert feature.note_ids.get(level) == row.get("note_ids", {}).get(level)
            assert feature.rule(level) == by_level[level]
            checked += 1
        assert feature.provider_notes == row.get("provider_notes", {})
        assert feature.provider_remarks == row.get("provider_remarks", {})
        assert list(feature.see_also) == row.get("see_also", [])
    assert checked == 163 * 4


def test_it_has_no_rows_the_fact_sheet_lacks(fact_sheet):
    for year, data in fact_sheet.items():
        suite = catalogue.suite(int(year))
        assert [c.key for c in suite.categories] == [CATEGORY_KEYS[k] for k in data["categories"]]
        for sheet_key, category in data["categories"].items():
            shipped = suite.category(CATEGORY_KEYS[sheet_key])
            assert len(shipped.features) == len(category["features"])
            assert (
                list(shipped.specifications_of_note) == category["further_specifications_of_note"]
            )
            assert shipped.requirement_text == category.get("requirement_text", "")


def test_it_keeps_the_lists_of_every_year(fact_sheet):
    for year, data in fact_sheet.items():
        suite = catalogue.suite(int(year))
        assert list(suite.future_development) == data["future_development"]
        assert list(suite.changes_since) == data["changes_since"]
        assert suite.column_headers == data["column_headers"]
        assert suite.xep == data["xep"]


def shipped_data(year: int) -> dict:
    with (catalogue.SUITES_DIR / f"{year}.yaml").open() as fh:
        return yaml.safe_load(fh)


def test_the_reader_refuses_an_unknown_key():
    data = shipped_data(2022)
    data["categories"][0]["features"][0]["provider"] = ["RFC 6120"]
    with pytest.raises(CatalogueError, match="unknown keys"):
        parse_suite(data)


def test_the_reader_refuses_a_bad_cell():
    data = shipped_data(2022)
    data["categories"][0]["features"][0]["levels"]["client"] = "yes"
    with pytest.raises(CatalogueError, match="levels must give"):
        parse_suite(data)


def test_the_reader_refuses_a_malformed_provider():
    data = shipped_data(2022)
    data["categories"][0]["features"][1]["providers"] = ["RFC7590"]
    with pytest.raises(CatalogueError, match="is not of the form"):
        parse_suite(data)


def test_the_reader_refuses_a_note_without_id():
    data = copy.deepcopy(shipped_data(2022))
    data["categories"][0]["features"][2]["note_ids"] = {}
    with pytest.raises(CatalogueError, match="note id"):
        parse_suite(data)
