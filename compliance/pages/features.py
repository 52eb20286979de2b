"""One feature of a suite table and the entries that meet it, level by level."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.models import Software
from compliance.pages.listing import LISTED_FIELDS
from suites.address import roles_at
from suites.catalogue import LEVEL_NAMES, REQUIRED, Feature, Suite
from suites.engine import MET, WAIVED, evaluate_feature


@dataclass(frozen=True)
class LevelMeeting:
    level: str
    cell: str  # required / not_required / not_applicable
    met: list[Software]
    partial: list[Software]  # met relying on a partial claim
    waived: list[Software]

    @property
    def name(self) -> str:
        return LEVEL_NAMES[self.level]


def feature_at(suite: Suite, category: str, number: int) -> Feature | None:
    """The feature at a 1-based position of a category's table, or None."""
    if category not in suite.category_keys:
        return None
    features = suite.category(category).features
    return features[number - 1] if 1 <= number <= len(features) else None


def meeting(suite: Suite, category: str, feature: Feature) -> list[LevelMeeting]:
    """Per level where the cell is required, the entries (examples aside) that meet the
    feature, as the engine decides it; one query."""
    software = [s for s in Software.objects.filter(is_example=False).only(*LISTED_FIELDS)]
    software.sort(key=lambda s: s.name.casefold())
    levels = []
    for level in LEVEL_NAMES:
        met, partial, waived = [], [], []
        if feature.cell(level) == REQUIRED:
            for entry in software:
                if entry.role not in roles_at(level):
                    continue
                result = evaluate_feature(feature, category, level, entry.statuses, entry.profile)
                if result.state == MET:
                    (partial if result.partial else met).append(entry)
                elif result.state == WAIVED:
                    waived.append(entry)
        levels.append(LevelMeeting(level, feature.cell(level), met, partial, waived))
    return levels
