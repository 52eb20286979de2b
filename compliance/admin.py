from django.contrib import admin

from compliance.claims import claim_values, write_claims
from compliance.models import Claim, Software, Spec, SuiteCategory, SuiteFeature, SuiteYear


class ClaimInline(admin.TabularInline):
    """The claims, read only: each is edited on its own page (a form of every claim of a large
    entry would exceed Django's field limit), which writes through compliance.claims."""

    model = Claim
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ["spec", "status", "spec_version", "since_version", "note", "evidence_url", "source"]
    readonly_fields = fields


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


def admin_actor(request) -> str:
    return f"admin: {request.user.get_username()}"


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
