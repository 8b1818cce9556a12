from django.contrib import admin

from ordre.councils import services
from ordre.councils.models import Council


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    """Reference data: browse and search freely; edit contacts through the service.

    Rows are neither added nor deleted here: the set of councils follows the law
    and arrives by migration; a council that stops is marked out of service.
    """

    list_display = ("code", "name", "kind", "region_name", "email", "phone", "is_active")
    list_filter = ("kind", "region_name", "is_active")
    search_fields = ("code", "name", "department_code", "region_name", "email")
    ordering = ("code",)
    list_per_page = 120
    fields = (
        "code",
        "kind",
        "department_code",
        "region_code",
        "region_name",
        "name",
        "email",
        "phone",
        "address",
        "is_active",
    )
    readonly_fields = ("code", "kind", "department_code", "region_code", "region_name")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        changes = {
            field: form.cleaned_data[field]
            for field in form.changed_data
            if field in services.EDITABLE_FIELDS
        }
        services.council_update(actor=request.user, council=obj, **changes)
