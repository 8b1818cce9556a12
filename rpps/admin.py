"""Read-only admin: numbers issued, import runs with their rejected lines, directory entries.

Writes go through rpps.services (allocation, import command), never through the admin.
"""

from django.contrib import admin

from rpps.models import DirectoryEntry, ImportRejection, ImportRun, RppsAllocation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RppsAllocation)
class RppsAllocationAdmin(ReadOnlyAdmin):
    list_display = ["number", "allocated_at", "allocated_by", "subject"]
    search_fields = ["number", "subject"]
    date_hierarchy = "allocated_at"


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = [
        "file_name", "started_at", "status", "lines_read", "inserted", "updated",
        "unchanged", "rejected",
    ]  # fmt: skip
    list_filter = ["status", "layout"]


@admin.register(ImportRejection)
class ImportRejectionAdmin(ReadOnlyAdmin):
    list_display = ["run", "line_no", "reason", "detail"]
    list_filter = ["reason", "run"]  # rejections of one run: filter by run
    list_select_related = ["run"]
    ordering = ["run", "line_no"]


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "rpps", "last_name", "first_name", "profession_code", "savoir_faire_code",
        "practice_mode_code", "department_code", "luhn_valid", "last_seen",
    ]  # fmt: skip
    list_filter = ["luhn_valid", "profession_code", "practice_mode_code"]
    search_fields = ["=rpps", "=national_id"]
    show_full_result_count = False
