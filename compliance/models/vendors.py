"""Who maintains an entry, and how they proved it: maintainers, ownership proofs, invitations.

Written only through compliance/vendors/ (maintainers.py, ownership.py), which records every
change of maintainers in the audit log.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from compliance.models.software import Software


class Maintainer(models.Model):
    """A user who may edit an entry and its claims."""

    software = models.ForeignKey(Software, models.CASCADE, related_name="maintainers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="maintains")
    how = models.CharField(
        max_length=100, help_text="How they became one: a proof, an invitation, the admin."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["software", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["software", "user"], name="one_maintainer_row")
        ]

    def __str__(self) -> str:
        return f"{self.user} maintains {self.software}"


class Token(models.Model):
    """A single-purpose random token that expires: proving ownership of an entry (shown to the
    user, who publishes it) or inviting a maintainer (sent by e-mail; stored as a digest)."""

    PROOF, INVITATION = "proof", "invitation"
    PURPOSES = [(PROOF, "ownership proof"), (INVITATION, "maintainer invitation")]

    software = models.ForeignKey(Software, models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=16, choices=PURPOSES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="+",
        help_text="Who asked to prove, or who invited.",
    )
    value = models.CharField(
        max_length=64, unique=True, help_text="The proof token itself, or an invitation's digest."
    )
    email = models.EmailField(blank=True, help_text="Whom an invitation was sent to.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True, help_text="What the last check found.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for {self.software}"

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at
