"""The audit log: every change to an entry, its claims or its maintainers, from any source."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from compliance.models.software import Software


class Change(models.Model):
    """One field of an entry, or one claim's field, from `old` to `new`, by `actor`."""

    ENTRY, CLAIM, MAINTAINER = "entry", "claim", "maintainer"
    SUBJECTS = [(ENTRY, "entry"), (CLAIM, "claim"), (MAINTAINER, "maintainer")]

    software = models.ForeignKey(Software, models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(
        max_length=300, help_text="Who: a user's name, 'admin: …', 'DOAP import from …'."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=16, choices=SUBJECTS)
    spec = models.CharField(max_length=16, blank=True)
    source = models.CharField(max_length=8, blank=True)
    field = models.CharField(max_length=64)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["software", "-at"], name="change_by_software"),
            models.Index(fields=["software", "spec", "-at"], name="change_by_spec"),
        ]

    def __str__(self) -> str:
        what = f"{self.spec} ({self.source}) {self.field}" if self.spec else self.field
        return f"{self.software}: {what}: {self.old!r} → {self.new!r} by {self.actor}"
