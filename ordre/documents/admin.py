from django.contrib import admin

from ordre.documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: documents change only through ordre.documents.services."""

    list_display = ("id", "owner", "purpose", "content_type", "size", "status", "created_at")
    list_filter = ("status", "content_type", "purpose")
    list_select_related = ("owner",)
    search_fields = ("id", "sha256", "owner__username")
    exclude = ("original_filename",)
    readonly_fields = [
        f.name for f in Document._meta.concrete_fields if f.name != "original_filename"
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
