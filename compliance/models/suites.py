"""The suite catalogue in the database, mirrored from suites/data/<year>.yaml.

Written only by compliance.suite_loader (after every migrate and by `load_suites`); the engine
reads the data files through suites.catalogue, and so do the pages; these tables serve the
admin, and queries over the catalogue such as which rows name a spec.
"""

from django.db import models

from suites.catalogue import CATEGORIES, CATEGORY_NAMES
from suites.specs import spec_url

CELL_CHOICES = [("required", "required"), ("not_required", "not required"), ("na", "N/A")]


class SuiteYear(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    xep = models.CharField(max_length=16)
    title = models.CharField(max_length=200)
    shortname = models.CharField(max_length=32)
    status = models.CharField(max_length=32)
    version = models.CharField(max_length=16)
    date = models.CharField(max_length=10)
    supersedes = models.JSONField(default=list)
    superseded_by = models.JSONField(default=list)
    column_headers = models.JSONField(default=dict)
    global_rules = models.JSONField(default=list)
    doubts = models.JSONField(default=list)
    future_development = models.JSONField(default=list)
    changes_since = models.JSONField(default=list)
    changes_since_remark = models.TextField(blank=True)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.title} ({self.xep})"


class SuiteCategory(models.Model):
    suite = models.ForeignKey(SuiteYear, models.CASCADE, related_name="categories")
    key = models.CharField(max_length=16, choices=[(k, CATEGORY_NAMES[k]) for k in CATEGORIES])
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=100)
    caption = models.CharField(max_length=100)
    requirement_text = models.TextField(blank=True)
    requires = models.JSONField(default=list)
    specifications_of_note = models.JSONField(default=list)

    class Meta:
        ordering = ["suite__year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["suite", "key"], name="unique_category_per_suite")
        ]

    def __str__(self) -> str:
        return f"{self.suite.year} {self.heading}"

    @property
    def name(self) -> str:
        return CATEGORY_NAMES[self.key]


class SuiteFeature(models.Model):
    category = models.ForeignKey(SuiteCategory, models.CASCADE, related_name="features")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    providers = models.JSONField(default=list)
    providers_rule = models.CharField(max_length=16)
    rule_by_level = models.JSONField(default=dict)
    server = models.CharField(max_length=16, choices=CELL_CHOICES)
    client = models.CharField(max_length=16, choices=CELL_CHOICES)
    advanced_server = models.CharField(max_length=16, choices=CELL_CHOICES)
    advanced_client = models.CharField(max_length=16, choices=CELL_CHOICES)
    notes = models.JSONField(default=dict)
    note_ids = models.JSONField(default=dict)
    provider_notes = models.JSONField(default=dict)
    provider_remarks = models.JSONField(default=dict)
    see_also = models.JSONField(default=list)
    remarks = models.JSONField(default=list)
    doubt = models.TextField(blank=True)

    class Meta:
        ordering = ["category__suite__year", "category__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="unique_feature_name")
        ]

    def __str__(self) -> str:
        return self.name


class Spec(models.Model):
    """An RFC or XEP named by a suite, with today's title."""

    identifier = models.CharField(max_length=16, unique=True)
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["identifier"]

    def __str__(self) -> str:
        return f"{self.identifier}: {self.title}"

    @property
    def url(self) -> str:
        return spec_url(self.identifier)
