from django.contrib import admin

from compliance.models import Claim, Software, Spec, SuiteCategory, SuiteFeature, SuiteYear
from compliance.signals import claims_batch


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    fields = ["spec", "status", "spec_version", "since_version", "note", "evidence_url", "source"]


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
    readonly_fields = ["doap_findings", "doap_imported_at", "created_at", "updated_at"]
    inlines = [ClaimInline]

    def save_related(self, request, form, formsets, change):
        with claims_batch(form.instance):
            super().save_related(request, form, formsets, change)


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
        """A claim belongs to its software: file a new one rather than move it."""
        return [*self.readonly_fields, "software"] if obj else self.readonly_fields


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
