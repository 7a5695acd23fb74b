"""Staff manage organisations and memberships (including approvers) here."""

from django.contrib import admin

from pathways.programs import models as pm


@admin.register(pm.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "sector")
    search_fields = ("name",)


@admin.register(pm.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("program", "user", "role", "organisation", "added_at")
    list_filter = ("role", "organisation")
    search_fields = ("program__title", "program__code", "user__username", "user__email")
    autocomplete_fields = ("user", "organisation")
    raw_id_fields = ("program",)


@admin.register(pm.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "region", "status", "coverage_percent", "updated_at")
    list_filter = ("status", "region", "is_example")
    search_fields = ("title", "code")
    readonly_fields = [f.name for f in pm.Program._meta.fields]

    def has_add_permission(self, request):
        return False  # programs are created in the app, through the services
