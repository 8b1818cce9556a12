from django.contrib import admin

from ordre.oidc.models import ExternalIdentity


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Read-only: links are made and removed by their owners through the services."""

    list_display = ("user", "provider", "created_at", "last_login_at")
    list_filter = ("provider",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "issuer", "subject", "provider", "created_at", "last_login_at")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
