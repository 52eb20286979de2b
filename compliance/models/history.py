"""The audit log: every change to an entry, its claims or its maintainers, from any source."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from compliance.models.software import Claim, Software


class Change(models.Model):
    """One field of an entry, or one claim's field, from `old` to `new`, by `actor`; or a
    whole claim created or removed, all its values in `values` (then `field` is empty)."""

    ENTRY, CLAIM, MAINTAINER = "entry", "claim", "maintainer"
    SUBJECTS = [(ENTRY, "entry"), (CLAIM, "claim"), (MAINTAINER, "maintainer")]
    CHANGED, CREATED, REMOVED = "changed", "created", "removed"
    ACTIONS = [(CHANGED, "field changed"), (CREATED, "claim created"), (REMOVED, "claim removed")]

    software = models.ForeignKey(Software, models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(
        max_length=300, help_text="Who: a user's name, 'admin: …', 'DOAP import from …'."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=16, choices=SUBJECTS)
    action = models.CharField(max_length=8, choices=ACTIONS, default=CHANGED)
    spec = models.CharField(max_length=16, blank=True)
    source = models.CharField(max_length=8, blank=True)
    field = models.CharField(max_length=64, blank=True, help_text="Empty for a whole claim.")
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    values = models.JSONField(
        default=dict,
        blank=True,
        help_text="A claim created: the values it was created with; removed: those it had.",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["software", "-at"], name="change_by_software"),
            models.Index(fields=["software", "spec", "-at"], name="change_by_spec"),
        ]

    def __str__(self) -> str:
        return f"{self.software}: {self.what}: {self.before} → {self.after} by {self.actor}"

    @property
    def what(self) -> str:
        """'XEP-0030 (doap) status', 'XEP-0030 (doap) created', or an entry's field."""
        if not self.spec:
            return self.field
        return f"{self.spec} ({self.source}) {self.field or self.action}"

    def claim_values(self) -> list[tuple[str, str]]:
        """A whole claim's values that are set, in the claim form's order."""
        return [(name, self.values[name]) for name in Claim.VALUE_FIELDS if self.values.get(name)]

    def _values_line(self) -> str:
        return "; ".join(f"{name}: {value}" for name, value in self.claim_values()) or "(empty)"

    @property
    def before(self) -> str:
        """The old value, or a removed claim's values, in one line ('—' for nothing)."""
        if self.action == self.CHANGED:
            return self.old or "—"
        return self._values_line() if self.action == self.REMOVED else "—"

    @property
    def after(self) -> str:
        """The new value, or a created claim's values, in one line ('—' for nothing)."""
        if self.action == self.CHANGED:
            return self.new or "—"
        return self._values_line() if self.action == self.CREATED else "—"
