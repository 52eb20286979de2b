"""The reference fact sheet of the suite tables (../shared/suites/suites.yaml), row by row."""

from collections.abc import Iterator

CATEGORY_KEYS = {"core": "core", "web": "web", "im": "im", "mobile": "mobile", "av_calling": "av"}


def expected_rows(fact_sheet: dict) -> Iterator[tuple[int, str, int, dict]]:
    """(year, category key, position, row) for every row of the fact sheet."""
    for year, data in fact_sheet.items():
        for sheet_key, category in data["categories"].items():
            for position, row in enumerate(category["features"]):
                yield int(year), CATEGORY_KEYS[sheet_key], position, row
