from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from compliance.claims import claim_values, write_claims
from compliance.entries import write_entry
from compliance.history import Actor
from compliance.models import (
    Change,
    CheckResult,
    Claim,
    Maintainer,
    ProbeRun,
    RegistryEntry,
    RegistrySync,
    Software,
    Spec,
    SuiteCategory,
    SuiteFeature,
    SuiteYear,
)
from compliance.vendors.maintainers import add_maintainer, remove_maintainer


@admin.register(Software)
class SoftwareAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "role",
        "terminal_interface",
        "background_restricted",
        "doap_imported_at",
        "updated_at",
    ]
    list_filter = ["role", "terminal_interface", "background_restricted"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "claim_list",
        "doap_findings",
        "doap_imported_at",
        "created_at",
        "updated_at",
    ]

    def save_model(self, request, obj, form, change):
        """Through the entry's write path, which records what changed."""
        write_entry(obj, actor=admin_actor(request))

    @admin.display(description="Claims")
    def claim_list(self, software: Software) -> str:
        """Every claim, linked to its own page: a form holding them all would post hundreds of
        fields for a large entry, over Django's limit. Each claim page writes through
        compliance.claims."""
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:compliance_claim_change", args=[claim.pk]),
                    claim.spec,
                    claim.status or "(no status)",
                    claim.get_source_display(),
                )
                for claim in software.claims.all()
            ),
        )
        add = reverse("admin:compliance_claim_add") + f"?software={software.pk}"
        return format_html(
            "<table><tr><th>spec</th><th>status</th><th>source</th></tr>{}</table>"
            '<p><a href="{}">Add a claim</a></p>',
            rows,
            add,
        )


def admin_actor(request) -> Actor:
    return Actor.admin(request.user)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = [
        "software",
        "spec",
        "status",
        "spec_version",
        "since_version",
        "source",
        "updated_at",
    ]
    list_filter = ["source", "status"]
    search_fields = ["software__name", "spec"]
    list_select_related = ["software"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        """A claim belongs to its software, spec and source: file a new one rather than move it."""
        if obj:
            return [*self.readonly_fields, "software", "spec", "source"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        """Through the one write path; the admin's own save is not used."""
        write_claims(obj.software, actor=admin_actor(request), put=[claim_values(obj)])
        obj.pk = obj.software.claims.get(spec=obj.spec, source=obj.source).pk

    def delete_model(self, request, obj):
        write_claims(obj.software, actor=admin_actor(request), remove=[(obj.spec, obj.source)])

    def delete_queryset(self, request, queryset):
        for software in Software.objects.filter(claims__in=queryset).distinct():
            keys = queryset.filter(software=software).values_list("spec", "source")
            write_claims(software, actor=admin_actor(request), remove=list(keys))


class ReadOnlyAdmin(admin.ModelAdmin):
    """The catalogue is written by load_suites from the data files, never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SuiteYear)
class SuiteYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "xep", "title", "status", "version", "date"]


@admin.register(SuiteCategory)
class SuiteCategoryAdmin(ReadOnlyAdmin):
    list_display = ["suite", "key", "heading"]
    list_filter = ["suite__year"]


@admin.register(SuiteFeature)
class SuiteFeatureAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "server", "client", "advanced_server", "advanced_client"]
    list_filter = ["category__suite__year", "category__key"]
    list_select_related = ["category__suite"]


@admin.register(Spec)
class SpecAdmin(ReadOnlyAdmin):
    list_display = ["identifier", "title"]
    search_fields = ["identifier", "title"]


@admin.register(Maintainer)
class MaintainerAdmin(admin.ModelAdmin):
    """Staff grant and revoke maintainership here; both are in the entry's history."""

    list_display = ["software", "user", "how", "created_at"]
    list_select_related = ["software", "user"]
    search_fields = ["software__name", "user__username"]
    fields = ["software", "user"]
    autocomplete_fields = ["software"]

    def has_change_permission(self, request, obj=None):
        return False  # grant anew rather than move a maintainership

    def save_model(self, request, obj, form, change):
        granted = add_maintainer(
            obj.software, obj.user, actor=admin_actor(request), how="granted by the admin"
        )
        obj.pk = granted.pk

    def delete_model(self, request, obj):
        remove_maintainer(obj.software, obj.user, actor=admin_actor(request))

    def delete_queryset(self, request, queryset):
        for maintainer in queryset.select_related("software", "user"):
            self.delete_model(request, maintainer)


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    """The audit log, as recorded: nobody edits it."""

    list_display = ["at", "software", "actor", "subject", "action", "what", "before", "after"]
    list_filter = ["subject", "action", "source"]
    search_fields = ["software__name", "actor", "spec"]
    list_select_related = ["software"]


@admin.register(RegistryEntry)
class RegistryEntryAdmin(ReadOnlyAdmin):
    """What the registry sync found; written by the sync only."""

    list_display = ["name", "state", "software", "http_status", "fetched_at", "removed_at"]
    list_filter = ["state"]
    search_fields = ["name", "doap_url"]
    list_select_related = ["software"]


@admin.register(RegistrySync)
class RegistrySyncAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "running", "duration_s", "error"]


@admin.register(ProbeRun)
class ProbeRunAdmin(ReadOnlyAdmin):
    """Probe runs, as the workers wrote them (never the password: the field is left out)."""

    list_display = ["server", "state", "created_at", "finished_at", "jid", "scheduled", "error"]
    list_filter = ["state", "scheduled"]
    search_fields = ["server__domain", "jid"]
    list_select_related = ["server"]
    exclude = ["secret", "client_key"]


@admin.register(CheckResult)
class CheckResultAdmin(ReadOnlyAdmin):
    list_display = ["run", "check_id", "outcome", "error_kind", "entity"]
    list_filter = ["outcome", "check_id"]
    search_fields = ["run__server__domain", "check_id"]
    list_select_related = ["run__server"]
