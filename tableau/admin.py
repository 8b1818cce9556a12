"""Read-only admin of the register: every change goes through `tableau.services`."""

from django.contrib import admin

from tableau.models import Doctor, DoctorStatusChange, RegisterChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusInline(admin.TabularInline):
    model = DoctorStatusChange
    extra = 0
    fields = ("effective_on", "council", "from_status", "to_status", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Doctor)
class DoctorAdmin(ReadOnlyAdmin):
    list_display = ("rpps", "public_last_name", "public_first_name", "council", "status")
    list_filter = ("status", "council")
    list_select_related = ("council",)
    search_fields = ("=rpps", "public_name_normalized")
    fields = (
        "rpps",
        "public_last_name",
        "public_first_name",
        "council",
        "status",
        "status_since",
        "registered_on",
        "email",
        "phone",
    )
    readonly_fields = fields
    inlines = [StatusInline]


@admin.register(RegisterChange)
class RegisterChangeAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "doctor", "councils", "created_at")
    list_filter = ("kind",)
    list_select_related = ("doctor",)
