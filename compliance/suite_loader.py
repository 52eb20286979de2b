"""Mirror the suite data files into the database. Idempotent: a second run changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from compliance.models import Spec, SuiteCategory, SuiteFeature, SuiteYear
from compliance.models.software import refresh_all_statuses
from suites.catalogue import LEVELS, Feature, Suite, suites


@dataclass
class LoadReport:
    years: int = 0
    features_created: int = 0
    features_updated: int = 0
    features_deleted: int = 0
    specs: int = 0
    software_refreshed: int = 0


def _feature_fields(feature: Feature) -> dict:
    return {
        "providers": list(feature.providers),
        "providers_rule": feature.providers_rule,
        "rule_by_level": feature.rule_by_level,
        **{level: feature.cell(level) for level in LEVELS},
        "notes": feature.notes,
        "note_ids": feature.note_ids,
        "provider_notes": feature.provider_notes,
        "provider_remarks": feature.provider_remarks,
        "see_also": list(feature.see_also),
        "remarks": list(feature.remarks),
        "doubt": feature.doubt,
    }


def _load_suite(suite: Suite, using: str, report: LoadReport) -> None:
    year, _ = SuiteYear.objects.using(using).update_or_create(
        year=suite.year,
        defaults={
            "xep": suite.xep,
            "title": suite.title,
            "shortname": suite.shortname,
            "status": suite.status,
            "version": suite.version,
            "date": suite.date,
            "supersedes": list(suite.supersedes),
            "superseded_by": list(suite.superseded_by),
            "column_headers": suite.column_headers,
            "global_rules": list(suite.global_rules),
            "doubts": list(suite.doubts),
            "future_development": list(suite.future_development),
            "changes_since": list(suite.changes_since),
            "changes_since_remark": suite.changes_since_remark,
        },
    )
    year.categories.exclude(key__in=suite.category_keys).delete()
    for position, category in enumerate(suite.categories):
        row, _ = SuiteCategory.objects.using(using).update_or_create(
            suite=year,
            key=category.key,
            defaults={
                "position": position,
                "heading": category.heading,
                "caption": category.caption,
                "requirement_text": category.requirement_text,
                "requires": list(category.requires),
                "specifications_of_note": list(category.specifications_of_note),
            },
        )
        names = [feature.name for feature in category.features]
        deleted, _ = row.features.exclude(name__in=names).delete()
        report.features_deleted += deleted
        for position, feature in enumerate(category.features):
            _, created = SuiteFeature.objects.using(using).update_or_create(
                category=row,
                name=feature.name,
                defaults={"position": position, **_feature_fields(feature)},
            )
            if created:
                report.features_created += 1
            else:
                report.features_updated += 1
    report.years += 1


def load_suites(using: str = "default") -> LoadReport:
    report = LoadReport()
    loaded = suites()
    with transaction.atomic(using=using):
        SuiteYear.objects.using(using).exclude(year__in=list(loaded)).delete()
        titles = {}
        for suite in loaded.values():  # oldest first: the latest title wins
            _load_suite(suite, using, report)
            titles.update(suite.spec_titles)
        for identifier, title in titles.items():
            Spec.objects.using(using).update_or_create(
                identifier=identifier, defaults={"title": title}
            )
        report.specs = len(titles)
        # Each software keeps the statuses of the specs the suites name: follow the suites.
        report.software_refreshed = refresh_all_statuses(using)
    return report
