from django.contrib import admin

from ordre.notifications.models import EmailDelivery, InboxMessage


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by `notify` only."""

    list_display = ("subject", "recipient", "template", "created_at", "read_at")
    list_filter = ("template",)
    list_select_related = ("recipient",)
    search_fields = ("recipient__username", "template")
    exclude = ("body",)  # personal content: IT staff monitor, they do not read
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """Read-only log of the e-mails: what was sent, what is pending or failing."""

    list_display = ("template", "to_address", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("template", ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("to_address", "template")
    exclude = ("body_text", "body_html")  # personal content: monitor, do not read
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
