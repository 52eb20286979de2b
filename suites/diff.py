"""What changed in the tables from one suite year to another, computed from the data.

The XEPs' own "Changes since" sections are shown beside this; they do not list every change
(2020 merged "Session Resumption" and "Stanza Acknowledgements" into "Stream Management" without
saying so), so the computed list is what a vendor can rely on.
"""

from __future__ import annotations

from dataclasses import dataclass

from suites.catalogue import CATEGORY_NAMES, LEVEL_NAMES, LEVELS, Feature, Suite

CELL_WORDS = {"required": "required", "not_required": "not required", "na": "N/A"}


@dataclass(frozen=True)
class TableChange:
    category: str
    feature: str
    detail: str

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES[self.category]


def _feature_changes(old: Feature, new: Feature) -> list[str]:
    details = []
    for level in LEVELS:
        if old.cell(level) != new.cell(level):
            details.append(
                f"{LEVEL_NAMES[level]}: {CELL_WORDS[old.cell(level)]} → "
                f"{CELL_WORDS[new.cell(level)]}"
            )
        before, after = old.notes.get(level, ""), new.notes.get(level, "")
        if before != after:
            what = "note removed" if not after else f"note {'changed' if before else 'added'}"
            details.append(f"{LEVEL_NAMES[level]}: {what}" + (f": “{after}”" if after else ""))
        if old.rule(level) != new.rule(level):
            details.append(
                f"{LEVEL_NAMES[level]}: providers rule {old.rule(level)} → {new.rule(level)}"
            )
    removed = [p for p in old.providers if p not in new.providers]
    added = [p for p in new.providers if p not in old.providers]
    if removed:
        details.append(f"providers removed: {', '.join(removed)}")
    if added:
        details.append(f"providers added: {', '.join(added)}")
    return details


def diff_suites(old: Suite, new: Suite) -> list[TableChange]:
    """Every row added, removed or changed between two years, category by category."""
    changes = []
    old_categories = {c.key: c for c in old.categories}
    for category in new.categories:
        if category.key not in old_categories:
            changes.append(TableChange(category.key, "", "new category"))
            continue
        before = {f.name: f for f in old_categories[category.key].features}
        after = {f.name: f for f in category.features}
        for name in [name for name in before if name not in after]:
            changes.append(TableChange(category.key, name, "row removed"))
        for feature in category.features:
            if feature.name not in before:
                providers = ", ".join(feature.providers)
                changes.append(TableChange(category.key, feature.name, f"row added ({providers})"))
                continue
            changes += [
                TableChange(category.key, feature.name, detail)
                for detail in _feature_changes(before[feature.name], feature)
            ]
    for key in [key for key in old_categories if key not in new.category_keys]:
        changes.append(TableChange(key, "", "category removed"))
    return changes
