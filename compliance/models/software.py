"""Software entries and their per-spec claims."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from compliance.platforms import PLATFORMS, keys_of
from suites import catalogue
from suites.catalogue import SPEC_ID
from suites.engine import ROLE_LEVELS, ROLES, Profile, Verdict, evaluate_suites
from suites.statuses import (
    engine_statuses,
    listed_statuses,
    pack_listed,
    pack_statuses,
    unpack_listed,
    unpack_statuses,
)

STATUS_FIELDS = ["complete_specs", "partial_specs", "listed_specs"]
STATUS_INPUTS = ("spec", "status", "source", "since_version")  # of a claim, for the statuses


def validate_platforms(value) -> None:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValidationError('Platforms must be a list of names, e.g. ["Linux", "iOS"].')


ROLE_CHOICES = [(role, role.capitalize()) for role in ROLES]  # server, client, library


class SoftwareQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """An update of entries' rows (bulk_update's too): their cached readings change
        (compliance/versions.py; without a shared cache, the rows' own stamp says so)."""
        from compliance.versions import entries_changed, shared  # it reads this module

        if not shared():
            return super().update(**kwargs)
        slugs = list(self.values_list("slug", flat=True))
        updated = super().update(**kwargs)
        entries_changed(slugs)
        return updated


class Software(models.Model):
    SERVER, CLIENT, LIBRARY = ROLES
    ROLE_CHOICES = ROLE_CHOICES

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    role = models.CharField(max_length=16, choices=ROLE_CHOICES)
    homepage = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    platforms = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_platforms],
        help_text='As the vendor writes them: a list of names, e.g. ["Linux", "Android"].',
    )
    platform_keys = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="Normalised platforms, space-separated and space-padded, for filtering.",
    )
    terminal_interface = models.BooleanField(
        default=False, help_text="A command line or terminal based interface."
    )
    background_restricted = models.BooleanField(
        default=False,
        help_text="Runs on platforms that disallow long-lasting background connections.",
    )
    unverified = models.BooleanField(
        default=False,
        help_text="Created on the site by a user who has not yet proven they maintain it.",
    )
    is_example = models.BooleanField(
        default=False, help_text="Demo data written for the project, not a real product."
    )
    current_version = models.CharField(
        max_length=64,
        blank=True,
        help_text="The version the verdicts are of: the DOAP's newest release, or the editor's.",
    )
    release_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the current version was released, where the DOAP file says.",
    )
    doap_url = models.CharField("DOAP source URL", max_length=500, blank=True)
    doap_file = models.CharField(
        "DOAP source file",
        max_length=500,
        blank=True,
        help_text="The absolute path the DOAP file was imported from, when not from a URL.",
    )
    # What the engine reads, derived from the claims by refresh_statuses() (every write to
    # claims and every load_suites triggers it): the specs the suites name whose counting claim
    # is complete, and those where it is partial, '|'-separated. Read them as `statuses`.
    complete_specs = models.TextField(blank=True, editable=False)
    partial_specs = models.TextField(blank=True, editable=False)
    # The specs the suites name that are claimed but do not count, and why ('spec=why|…', see
    # suites.statuses.listed_statuses): what pages say instead of "not listed".
    listed_specs = models.TextField(blank=True, editable=False)
    doap_findings = models.JSONField(default=list, blank=True)
    # The DOAP file's schema:logo and the image stored from it (compliance/logos.py): pages
    # show the stored copy, never a remote one.
    logo_url = models.CharField("logo URL", max_length=500, blank=True)
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    logo_type = models.CharField(max_length=32, blank=True, editable=False)
    logo_fetched_url = models.CharField(max_length=500, blank=True, editable=False)
    logo_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    logo_error = models.TextField(blank=True, editable=False)
    reference_server = models.ForeignKey(
        "compliance.ProbedServer",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reference_for",
        help_text="A server its maintainers run with it, whose probes verify the claims.",
    )
    doap_imported_at = models.DateTimeField(null=True, blank=True)
    doap_checked_at = models.DateTimeField(null=True, blank=True)
    doap_fetch_error = models.TextField(
        blank=True, help_text="Why the last refresh failed; the last good import is kept."
    )
    revision = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts the writes of the entry's fields: an older one is stale.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SoftwareQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "software"
        indexes = [  # an import finds the entry of the URL or file it read before
            models.Index(fields=["doap_url"], name="software_by_doap_url"),
            models.Index(fields=["doap_file"], name="software_by_doap_file"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.platform_keys = f" {' '.join(keys_of(self.platforms))} "
        if "update_fields" in kwargs and "platforms" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "platform_keys"}
        super().save(*args, **kwargs)

    @property
    def statuses(self) -> dict[str, str]:
        """spec -> complete or partial, for the engine (specs left out are unsupported)."""
        return unpack_statuses(self.complete_specs, self.partial_specs)

    @property
    def listed(self) -> dict[str, str]:
        """spec -> why a claimed spec of the suites does not count (see listed_statuses)."""
        return unpack_listed(self.listed_specs)

    @property
    def has_data(self) -> bool:
        """Whether the entry claims anything, of any status, on a spec the suites name: without,
        its verdicts are shown as "no data", not as failures."""
        return bool(self.complete_specs or self.partial_specs or self.listed_specs)

    def refresh_statuses(self, claims: list[tuple[str, ...]] | None = None) -> None:
        """Recompute the statuses the engine reads from the claims (one query, one update).
        `claims`, the STATUS_INPUTS of every claim the software has, spares the query to a
        writer that holds them (write_claims, inside its transaction)."""
        if claims is None:
            claims = list(self.claims.order_by().values_list(*STATUS_INPUTS))
        self.complete_specs, self.partial_specs, self.listed_specs = status_fields(
            claims, catalogue.provider_specs(), self.current_version
        )
        self.save(update_fields=[*STATUS_FIELDS, "updated_at"])

    @property
    def platform_names(self) -> list[str]:
        return [PLATFORMS.get(key, key) for key in self.platform_keys.split()]

    @property
    def profile(self) -> Profile:
        return Profile(self.role, self.terminal_interface, self.background_restricted)

    @property
    def levels(self) -> tuple[str, str]:
        return ROLE_LEVELS[self.role]

    def verdicts(self, years: list[int] | None = None) -> dict[int, dict[str, dict[str, Verdict]]]:
        """The engine's verdicts for every suite year (or those given), from the statuses."""
        suites = catalogue.suites()
        chosen = [suites[year] for year in (years or list(suites))]
        return evaluate_suites(chosen, self.statuses, self.profile)


class Claim(models.Model):
    """What a software says about one specification: self-assessed, or from its DOAP file.

    Written only through compliance.claims.write_claims."""

    SELF, DOAP = "self", "doap"
    SOURCE_CHOICES = [(SELF, "self-assessed"), (DOAP, "DOAP file")]
    # Its values besides the key (software, spec, source), in the order the editor shows them.
    VALUE_FIELDS = (
        "status",
        "spec_version",
        "since_version",
        "note",
        "evidence_url",
        "provided_by",
    )

    software = models.ForeignKey(Software, models.CASCADE, related_name="claims")
    spec = models.CharField(
        max_length=16,
        validators=[RegexValidator(SPEC_ID, "Write 'RFC 6120' or 'XEP-0030'.")],
        help_text="'RFC 6120' or 'XEP-0030'",
    )
    status = models.CharField(
        max_length=200,
        blank=True,
        help_text="As published (XEP-0453 vocabulary: complete, partial, planned, deprecated, "
        "removed, wontfix); only complete and partial count as supported.",
    )
    spec_version = models.CharField("implemented spec version", max_length=32, blank=True)
    since_version = models.CharField("since software version", max_length=64, blank=True)
    note = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=500, blank=True)
    provided_by = models.CharField(
        "provided by",
        max_length=200,
        blank=True,
        help_text="Where the suite allows it: the external component or module that provides it.",
    )
    source = models.CharField(max_length=8, choices=SOURCE_CHOICES, default=SELF)
    status_since = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the claim took the status it has."
    )
    revision = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts the writes: a write made on an older revision is stale.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["software", "spec", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["software", "spec", "source"], name="one_claim_per_spec_and_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.software}: {self.spec} {self.status or '(no status)'} ({self.source})"


def status_fields(claims: list, providers, current_version: str) -> tuple[str, str, str]:
    """The stored STATUS_FIELDS for a software's (spec, status, source, since) claims."""
    statuses = engine_statuses(claims, providers, current_version)
    listed = listed_statuses(claims, providers, current_version)
    return (*pack_statuses(statuses), pack_listed(listed))


def refresh_all_statuses(using: str = "default") -> int:
    """Recompute every software's statuses (after the suites changed); returns how many changed."""
    grouped: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    claims = Claim.objects.using(using).order_by()
    for software_id, *claim in claims.values_list("software_id", *STATUS_INPUTS):
        grouped[software_id].append(tuple(claim))
    providers = catalogue.provider_specs()
    changed = []
    for software in Software.objects.using(using).only("pk", "current_version", *STATUS_FIELDS):
        claims = grouped[software.pk]
        packed = status_fields(claims, providers, software.current_version)
        if packed != tuple(getattr(software, name) for name in STATUS_FIELDS):
            software.complete_specs, software.partial_specs, software.listed_specs = packed
            changed.append(software)
    Software.objects.using(using).bulk_update(changed, STATUS_FIELDS, batch_size=500)
    return len(changed)
