"""Staff manage organisations and memberships (including approvers) here.

The audit stays append-only here too: audit entries are read-only, a program with history
cannot be deleted, and every membership a staff user adds, changes or removes is written to
the program's log through the same `audit()` as the app's own services.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from pathways.programs import models as pm
from pathways.programs.services import audit


def _membership_facts(membership: pm.Membership) -> dict[str, str]:
    """What the log records of a membership (as add_member and leave_program do)."""
    return {
        "user": membership.user.get_username(),
        "role": membership.role,
        "organisation": str(membership.organisation or ""),
    }


def _audit_removal(request, membership: pm.Membership) -> None:
    audit(
        program=membership.program,
        user=request.user,
        action=pm.AuditAction.MEMBER_REMOVED,
        before=_membership_facts(membership),
    )


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

    def get_readonly_fields(self, request, obj=None):
        # A membership is one person in one program: moving it would be a removal and an
        # addition in two logs, so staff delete it and add another instead.
        return ("program", "user") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        # The admin's change view runs in a transaction: the entry and the change commit
        # together or not at all.
        old = pm.Membership.objects.get(pk=obj.pk) if change else None
        super().save_model(request, obj, form, change)
        if old is None:
            audit(
                program=obj.program,
                user=request.user,
                action=pm.AuditAction.MEMBER_ADDED,
                after=_membership_facts(obj),
            )
            return
        before, after = _membership_facts(old), _membership_facts(obj)
        if before != after:  # a save that changes nothing writes nothing
            audit(
                program=obj.program,
                user=request.user,
                action=pm.AuditAction.MEMBER_ROLE_CHANGED,
                before=before,
                after=after,
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            _audit_removal(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The changelist's bulk delete runs outside the change view's transaction.
        with transaction.atomic():
            for membership in queryset.select_related("program", "user", "organisation"):
                _audit_removal(request, membership)
            super().delete_queryset(request, queryset)


@admin.register(pm.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "region", "status", "coverage_percent", "updated_at")
    list_filter = ("status", "region", "is_example")
    search_fields = ("title", "code")
    readonly_fields = [f.name for f in pm.Program._meta.fields]

    def has_add_permission(self, request):
        return False  # programs are created in the app, through the services

    def has_delete_permission(self, request, obj=None):
        # A program with history keeps it: its audit entries PROTECT it anyway, but the
        # admin should not offer what it will refuse.
        if obj is not None and obj.audit_entries.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # No bulk delete: every program made through the services has history.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(pm.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: staff may look the log up, never write or delete it."""

    list_display = ("at", "program", "user", "action", "step_key")
    list_filter = ("action",)
    search_fields = ("program__code", "program__title", "user__username")
    list_select_related = ("program", "user")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()


class AuditedUserAdmin(UserAdmin):
    """Deleting a user ends their memberships: each program's log records the removal."""

    def delete_model(self, request, obj):
        with transaction.atomic():
            for membership in obj.program_memberships.select_related(
                "program", "user", "organisation"
            ):
                _audit_removal(request, membership)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for membership in pm.Membership.objects.filter(user__in=queryset).select_related(
                "program", "user", "organisation"
            ):
                _audit_removal(request, membership)
            super().delete_queryset(request, queryset)


admin.site.unregister(User)  # django.contrib.auth's admin registered it (listed earlier)
admin.site.register(User, AuditedUserAdmin)
