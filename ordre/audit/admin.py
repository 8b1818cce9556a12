from django.contrib import admin

from ordre.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The trail, read-only: the database would refuse a change anyway."""

    list_display = ("id", "occurred_at", "actor_label", "action", "target_type", "target_id", "ip")
    list_filter = (
        "actor_kind",
        "action",
        "target_type",
        ("occurred_at", admin.DateFieldListFilter),
    )
    search_fields = ("=actor_label", "=target_id", "=subject", "=request_id", "action")
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    list_select_related = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
