"""Read-only admin of dossiers: every change goes through the services (and the portal)."""

from django.contrib import admin

from ordre.procedures.models import Dossier, DossierEvent


class DossierEventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "verb", "from_state", "to_state", "actor_label")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("reference", "kind", "council", "state", "submitted_at", "deadline")
    list_filter = ("kind", "state", "council")
    list_select_related = ("council",)
    search_fields = ("=id",)
    fields = (
        "kind",
        "council",
        "state",
        "applicant",
        "assigned_clerk",
        "rapporteur",
        "submitted_at",
        "completed_at",
        "deadline",
        "decision",
        "decided_at",
        "appeal_deadline",
    )
    readonly_fields = fields
    inlines = [DossierEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
