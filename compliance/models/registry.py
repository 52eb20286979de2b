"""The xmpp.org software registry as last read: one row per registry entry, one per sync."""

from django.db import models
from django.db.models import Q

from compliance.models.software import Software


class RegistryEntry(models.Model):
    """One entry of the registry, keyed by its name, and what the last sync made of it.

    Written only by compliance.registry.sync. An entry is judged when its DOAP file was
    imported (into `software`); otherwise `state` and `reason` say why not. An entry that
    leaves the registry is kept, with `removed_at`."""

    JUDGED, NOT_JUDGED, NO_DOAP, FAILED = "judged", "not_judged", "no_doap", "failed"
    STATE_CHOICES = [
        (JUDGED, "judged"),
        (NOT_JUDGED, "not judged"),
        (NO_DOAP, "no DOAP: not judged"),
        (FAILED, "not imported yet: the DOAP file could not be read"),
    ]

    name = models.CharField(max_length=200, unique=True)
    software = models.OneToOneField(
        Software, models.SET_NULL, null=True, blank=True, related_name="registry_entry"
    )
    categories = models.JSONField(default=list, blank=True)
    doap = models.CharField("DOAP as the registry gives it", max_length=500, blank=True)
    doap_url = models.CharField("DOAP URL fetched", max_length=500, blank=True)
    homepage = models.CharField(max_length=500, blank=True)
    platforms = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=16, choices=STATE_CHOICES, default=NO_DOAP)
    reason = models.TextField(blank=True, help_text="Why the entry is not judged.")
    fetched_at = models.DateTimeField(null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    digest = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the DOAP file last read."
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, help_text="Why the last fetch or import failed.")
    first_seen_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the entry left the registry (it is kept)."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "registry entries"

    def __str__(self) -> str:
        return self.name


class RegistrySync(models.Model):
    """One run of the registry sync. At most one runs at a time: a second is refused by the
    database (one row may have running=True), and a run whose heartbeat stopped is reaped."""

    url = models.CharField(max_length=500)
    started_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    running = models.BooleanField(default=True)
    error = models.TextField(blank=True, help_text="Why the whole sync failed.")
    counts = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(
        default=list, blank=True, help_text="The entries this run changed, and how."
    )
    duration_s = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        constraints = [
            models.UniqueConstraint(
                fields=["running"], condition=Q(running=True), name="one_registry_sync_at_a_time"
            )
        ]

    def __str__(self) -> str:
        return f"registry sync of {self.started_at:%Y-%m-%d %H:%M}"
