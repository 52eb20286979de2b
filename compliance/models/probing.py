"""The probe service: probed servers, their runs and each check's result, and who owns a server.

Written only through compliance/probing/ (submit.py, worker.py, ownership.py). A run's password
is kept encrypted (compliance/probing/credentials.py) and only until the run ends; an owner may
store one for the daily re-probes.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ProbedServer(models.Model):
    """An XMPP domain somebody asked to probe."""

    domain = models.CharField(max_length=253, unique=True, help_text="IDNA (A-label) form.")
    created_at = models.DateTimeField(auto_now_add=True)
    latest_run = models.ForeignKey(
        "ProbeRun",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The newest finished run (done), for lists.",
    )

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class ProbeRun(models.Model):
    """One probe of a server: who asked, its state, what the probe read, the verdicts."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, "queued"), (RUNNING, "running"), (DONE, "done"), (FAILED, "failed")]
    ACTIVE = (QUEUED, RUNNING)

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    server = models.ForeignKey(ProbedServer, models.CASCADE, related_name="runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_key = models.CharField(
        max_length=64, blank=True, help_text="A keyed digest of the client's address (limits)."
    )
    scheduled = models.BooleanField(default=False, help_text="A daily re-probe by its owner.")
    state = models.CharField(max_length=8, choices=STATES, default=QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    probe_version = models.CharField(max_length=40)
    options = models.JSONField(default=dict, help_text="What the probe was told, no secret.")
    jid = models.CharField(max_length=3071, blank=True, help_text="The test account, if any.")
    secret = models.BinaryField(
        null=True, blank=True, editable=False, help_text="The password, encrypted; until the end."
    )
    total_checks = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the run failed, in words.")
    software_name = models.CharField(max_length=200, blank=True)
    software_version = models.CharField(max_length=200, blank=True)
    reachable = models.BooleanField(default=False)
    verdicts = models.JSONField(default=dict, help_text="Per year, category and level.")
    specs = models.JSONField(default=dict, help_text="The outcome per spec.")
    passed_checks = models.PositiveIntegerField(default=0)
    cleanup = models.JSONField(default=list)
    duration_s = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["server", "-created_at"], name="runs_of_server"),
            models.Index(fields=["state", "started_at"], name="runs_by_state"),
        ]

    def __str__(self) -> str:
        return f"{self.server} at {self.created_at:%Y-%m-%d %H:%M} ({self.state})"

    @property
    def active(self) -> bool:
        return self.state in self.ACTIVE


class CheckResult(models.Model):
    """One outcome of one check on one entity, written as the check finishes."""

    run = models.ForeignKey(ProbeRun, models.CASCADE, related_name="results")
    position = models.PositiveIntegerField(help_text="The order the probe reports them in.")
    check_id = models.CharField(max_length=60)
    specs = models.JSONField(default=list)
    outcome = models.CharField(max_length=16)
    error_kind = models.CharField(max_length=16, blank=True)
    entity = models.CharField(max_length=500)
    detail = models.TextField()
    evidence = models.JSONField(default=list)
    informational = models.BooleanField(default=False)
    duration_s = models.FloatField(default=0)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "check_id", "entity"], name="one_result_row")
        ]

    def __str__(self) -> str:
        return f"{self.check_id} {self.outcome} on {self.entity}"


class ServerOwner(models.Model):
    """A user who proved they run the domain, and their settings for it."""

    server = models.ForeignKey(ProbedServer, models.CASCADE, related_name="owners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="servers")
    how = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    jid = models.CharField(max_length=3071, blank=True, help_text="Stored test account.")
    secret = models.BinaryField(null=True, blank=True, editable=False)
    reprobe_daily = models.BooleanField(default=False)
    notify = models.BooleanField(default=False, help_text="E-mail when an outcome changes.")

    class Meta:
        ordering = ["server", "created_at"]
        constraints = [models.UniqueConstraint(fields=["server", "user"], name="one_owner_row")]

    def __str__(self) -> str:
        return f"{self.user} owns {self.server}"


class ServerProof(models.Model):
    """The token a user publishes to prove they run a domain."""

    server = models.ForeignKey(ProbedServer, models.CASCADE, related_name="proofs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    value = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"proof of {self.server} by {self.user}"
