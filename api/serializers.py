"""What the API returns, as DRF serializers over the read models' objects (the OpenAPI schema
is generated from them), and the query parameters each list accepts."""

from __future__ import annotations

from django.urls import reverse as site_reverse
from rest_framework import serializers
from rest_framework.reverse import reverse

from compliance.display.table import SORTS
from compliance.models import Change
from compliance.models.software import ROLE_CHOICES
from compliance.platforms import PLATFORMS
from compliance.probing.verification import CONTRADICTED, NOT_PROBED, VERIFIED_CLAIM
from suites import catalogue
from suites.address import level_slug, resolve
from suites.catalogue import LEVELS, SPEC_ID


def link(serializer: serializers.Serializer, name: str, *args) -> str:
    return reverse(name, args=args, request=serializer.context.get("request"))


# Suites -------------------------------------------------------------------------------------


class CellSerializer(serializers.Serializer):
    level = serializers.CharField()
    value = serializers.ChoiceField(["required", "not_required", "na"])
    note = serializers.CharField()


class FeatureSerializer(serializers.Serializer):
    name = serializers.CharField()
    providers = serializers.ListField(child=serializers.CharField())
    providers_rule = serializers.CharField(help_text="all, any (any one provider) or per_level")
    rule_by_level = serializers.DictField(
        child=serializers.CharField(), help_text="level -> all or any: how many providers count"
    )
    cells = serializers.ListField(child=CellSerializer(), source="level_cells")
    see_also = serializers.ListField(child=serializers.CharField())


class CategorySerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    heading = serializers.CharField()
    requirement_text = serializers.CharField()
    requires = serializers.ListField(child=serializers.CharField())
    features = FeatureSerializer(many=True)


class SuiteSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    xep = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    version = serializers.CharField()
    date = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, suite) -> str:
        return link(self, "api-suite", suite.year)


class SuiteSerializer(SuiteSummarySerializer):
    column_headers = serializers.DictField(child=serializers.CharField())
    global_rules = serializers.ListField(child=serializers.CharField())
    categories = CategorySerializer(many=True)


# Software -----------------------------------------------------------------------------------


class SoftwareSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    role = serializers.CharField()
    description = serializers.CharField()
    platforms = serializers.ListField(child=serializers.CharField(), source="platform_names")
    current_version = serializers.CharField()
    is_example = serializers.BooleanField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, software) -> str:
        return link(self, "api-software-detail", software.slug)


class ClaimSerializer(serializers.Serializer):
    """A ClaimLine of compliance.pages.software: the claim, and whether and how it counts."""

    spec = serializers.CharField(source="claim.spec")
    source = serializers.CharField(source="claim.source")
    status = serializers.CharField(source="claim.status")
    support = serializers.ChoiceField(["complete", "partial", "unsupported"])
    counts = serializers.BooleanField(help_text="The claim the verdicts use for its spec.")
    counting = serializers.CharField(source="counting_words")
    spec_version = serializers.CharField(source="claim.spec_version")
    since_version = serializers.CharField(source="claim.since_version")
    note = serializers.CharField(source="claim.note")
    evidence_url = serializers.CharField(source="claim.evidence_url")
    provided_by = serializers.CharField(source="claim.provided_by")
    revision = serializers.IntegerField(source="claim.revision")
    status_since = serializers.DateTimeField(source="claim.status_since", allow_null=True)
    updated_at = serializers.DateTimeField(source="claim.updated_at")


class ProbeLabelSerializer(serializers.Serializer):
    """What the latest probe (of the last 30 days) of a server entry's reference deployment
    says of a claim of support, as the entry's page shows it
    (compliance/probing/verification.py)."""

    label = serializers.ChoiceField([VERIFIED_CLAIM, CONTRADICTED, NOT_PROBED])
    reason = serializers.CharField(help_text="Why not probed, in words ('' otherwise).")
    domain = serializers.CharField(help_text="The reference deployment probed ('' without a run).")
    run_date = serializers.DateTimeField(allow_null=True, help_text="When that run finished.")
    run_url = serializers.SerializerMethodField()
    run_page = serializers.SerializerMethodField()

    def get_run_url(self, label) -> serializers.URLField(allow_null=True):
        return link(self, "api-probe-run", label.run_key) if label.run_key else None

    def get_run_page(self, label) -> serializers.URLField(allow_null=True):
        if not label.run_key:
            return None
        page = site_reverse("probe-run", args=[label.run_key])
        return self.context["request"].build_absolute_uri(page)


class LabelledClaimSerializer(ClaimSerializer):
    probe = ProbeLabelSerializer(
        allow_null=True,
        help_text="Of a server entry's claim of support (the one that counts: complete or "
        "partial, in the current version): probe-verified, contradicted or not probed; null for "
        "other claims and for clients' and libraries'.",
    )


class SoftwareSerializer(SoftwareSummarySerializer):
    revision = serializers.IntegerField(
        help_text="Counts the writes of the entry's fields; `POST doap/` takes it as read."
    )
    homepage = serializers.CharField()
    platforms_given = serializers.ListField(child=serializers.CharField(), source="platforms")
    release_date = serializers.DateField(allow_null=True)
    terminal_interface = serializers.BooleanField()
    background_restricted = serializers.BooleanField()
    unverified = serializers.BooleanField()
    has_data = serializers.BooleanField()
    doap_url = serializers.CharField()
    doap_imported_at = serializers.DateTimeField(allow_null=True)
    doap_fetch_error = serializers.CharField()
    lint = serializers.ListField(
        child=serializers.DictField(), source="doap_findings", help_text="DOAP lint findings"
    )
    claims = serializers.SerializerMethodField()
    verdicts_url = serializers.SerializerMethodField()
    history_url = serializers.SerializerMethodField()

    def get_claims(self, software) -> LabelledClaimSerializer(many=True):
        lines = self.context["claim_lines"](software)
        return LabelledClaimSerializer(lines, many=True, context=self.context).data

    def get_verdicts_url(self, software) -> str:
        return link(self, "api-software-verdicts", software.slug)

    def get_history_url(self, software) -> str:
        return link(self, "api-software-history", software.slug)


class VerdictSerializer(serializers.Serializer):  # a cell's, as the engine gives it
    compliant = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    relies_on_partial = serializers.ListField(child=serializers.CharField())


class CellVerdictSerializer(VerdictSerializer):
    basis = serializers.ChoiceField(
        ["self-assessed", "verified"], help_text="self-assessed claims, or verified by probes"
    )


class VerdictsSerializer(serializers.Serializer):
    """Exactly `manage.py compliance SLUG --json`, with `basis` in every cell."""

    software = serializers.CharField()
    role = serializers.CharField()
    years = serializers.DictField(
        child=serializers.DictField(child=serializers.DictField(child=CellVerdictSerializer())),
        help_text="year -> category -> level -> verdict",
    )


class ExportSoftwareSerializer(SoftwareSerializer):
    verdicts = serializers.SerializerMethodField()

    def get_claims(self, software) -> ClaimSerializer(many=True):
        """The claims without their probe labels (software/{slug}/ has them)."""
        return ClaimSerializer(self.context["claim_lines"](software), many=True).data

    def get_verdicts(self, software) -> serializers.DictField(child=serializers.DictField()):
        return self.context["verdicts"](software)


class ExportSerializer(serializers.Serializer):
    suites = serializers.ListField(child=serializers.IntegerField())
    software = ExportSoftwareSerializer(many=True)


class ChangeSerializer(serializers.ModelSerializer):
    """One row of the log: a field from `old` to `new` (action "changed"), or a whole claim
    created or removed with all its values in `values` (then `field`, `old`, `new` are empty)."""

    values = serializers.DictField(child=serializers.CharField(allow_blank=True))

    class Meta:
        model = Change
        fields = ["at", "actor", "subject", "action", "spec", "source", "field", "old", "new"]
        fields += ["values"]  # a whole claim's


# Compare and specs --------------------------------------------------------------------------


class ColumnSerializer(serializers.Serializer):
    category = serializers.CharField()
    feature = serializers.CharField()


class CompareCellSerializer(serializers.Serializer):
    state = serializers.CharField()
    words = serializers.CharField()
    detail = serializers.CharField()


class CompareRowSerializer(serializers.Serializer):
    name = serializers.CharField(source="software.name")
    slug = serializers.CharField(source="software.slug")
    role = serializers.CharField(source="software.role")
    current_version = serializers.CharField(source="software.current_version")
    is_example = serializers.BooleanField(source="software.is_example")
    verdict = serializers.CharField(source="state")
    verdict_words = serializers.CharField()
    relies_on_partial = serializers.ListField(
        child=serializers.CharField(), source="verdict.partial_specs"
    )
    missing = serializers.SerializerMethodField()
    cells = serializers.SerializerMethodField()

    def get_missing(self, row) -> serializers.ListField(child=serializers.CharField()):
        return row.verdict.missing_names if row.software.has_data else []

    def get_cells(self, row) -> CompareCellSerializer(many=True):
        return [
            {"state": state, "words": words, "detail": detail}
            for state, _, words, detail, _ in row.cells
        ]


class CompareSerializer(serializers.Serializer):
    year = serializers.IntegerField(source="suite.year")
    category = serializers.CharField()
    level = serializers.CharField()
    title = serializers.CharField()
    examples_left_out = serializers.IntegerField()
    columns = serializers.SerializerMethodField()
    rows = CompareRowSerializer(many=True)

    def get_columns(self, table) -> ColumnSerializer(many=True):
        return [
            {"category": group.category, "feature": feature.name}
            for group in table.groups
            for feature in group.features
        ]


class SpecEntrySerializer(serializers.Serializer):
    """A SpecClaim of compliance.pages.specs: an entry's counting claim of the spec."""

    name = serializers.CharField(source="claim.software.name")
    slug = serializers.CharField(source="claim.software.slug")
    role = serializers.CharField(source="claim.software.role")
    is_example = serializers.BooleanField(source="claim.software.is_example")
    status = serializers.CharField(source="claim.status")
    support = serializers.CharField()
    spec_version = serializers.CharField(source="claim.spec_version")
    since_version = serializers.CharField(source="claim.since_version")
    source = serializers.CharField(source="claim.source")


class SpecSerializer(serializers.Serializer):
    spec = serializers.CharField()
    title = serializers.CharField()
    entries = SpecEntrySerializer(many=True)


class SpecSummarySerializer(serializers.Serializer):
    spec = serializers.CharField()
    title = serializers.CharField()
    entries = serializers.IntegerField()
    supported = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, summary) -> str:
        return link(self, "api-spec", summary.slug)


# Query parameters ---------------------------------------------------------------------------

ROLES = [role for role, _ in ROLE_CHOICES]


def cells() -> list[str]:
    """Every YEAR/CATEGORY/LEVEL of the suites, as the compare URLs write them."""
    return [
        f"{suite.year}/{category}/{level_slug(level)}"
        for suite in catalogue.suites().values()
        for category in suite.category_keys
        for level in LEVELS
    ]


class ExamplesQuery(serializers.Serializer):
    examples = serializers.BooleanField(
        required=False, default=False, help_text="Include the example entries."
    )


class SoftwareQuery(ExamplesQuery):
    role = serializers.ChoiceField(ROLES, required=False, allow_blank=True)
    platform = serializers.ChoiceField(list(PLATFORMS), required=False, allow_blank=True)
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="In name and description",
    )
    compliant = serializers.ChoiceField(
        cells(),
        required=False,
        allow_blank=True,
        help_text="YEAR/CATEGORY/LEVEL, e.g. 2023/im/client",
    )

    def validate_compliant(self, value: str):
        if not value:
            return None
        year, category, level = value.split("/")
        return resolve(int(year), category, level)


class CompareQuery(ExamplesQuery):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="In name and description"
    )
    role = serializers.ChoiceField(
        ROLES,
        required=False,
        allow_blank=True,
        help_text="A role not judged at the level gives no rows.",
    )
    platform = serializers.ChoiceField(list(PLATFORMS), required=False, allow_blank=True)
    compliant = serializers.BooleanField(
        required=False, default=False, help_text="Only compliant entries"
    )
    sort = serializers.ChoiceField(list(SORTS), required=False, allow_blank=True, default="name")


class YearQuery(serializers.Serializer):
    year = serializers.ChoiceField(
        list(catalogue.suites()),
        required=False,
        allow_blank=True,
        help_text="One suite year (default: all)",
    )


class HistoryQuery(serializers.Serializer):
    spec = serializers.RegexField(SPEC_ID, required=False, max_length=16, help_text="e.g. XEP-0313")


class SpecQuery(serializers.Serializer):
    role = serializers.ChoiceField(ROLES, required=False, allow_blank=True)
