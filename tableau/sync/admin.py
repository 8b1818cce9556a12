from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tableau.sync import selectors
from tableau.sync.models import CouncilFeed, SyncDelivery, SyncRun


@admin.register(CouncilFeed)
class CouncilFeedAdmin(admin.ModelAdmin):
    list_display = (
        "council",
        "push_url",
        "enabled",
        "acknowledged_position",
        "acknowledged_at",
        "lagging",
    )
    list_filter = ("enabled",)
    search_fields = ("council__code", "council__name")
    readonly_fields = ("acknowledged_position", "acknowledged_at", "alerted_at", "created_at")
    exclude = ("signing_secret",)
    actions = ["sync_now"]

    @admin.display(boolean=True, description=_("en retard"))
    def lagging(self, feed):
        return feed.alerted_at is not None

    def changelist_view(self, request, extra_context=None):
        lagging = selectors.lagging_feeds(now=timezone.now())
        if lagging:
            self.message_user(
                request,
                _("Conseils en retard de synchronisation : %(codes)s")
                % {"codes": ", ".join(f.council_id for f in lagging)},
                level=messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Synchroniser maintenant"))
    def sync_now(self, request, queryset):
        from tableau.sync.tasks import deliver

        for feed in queryset.exclude(push_url=""):
            deliver.delay(feed.council_id)
        self.message_user(request, _("Synchronisation demandée."))

    def save_model(self, request, obj, form, change):
        from tableau.sync.services import feed_configure

        feed_configure(
            actor=request.user,
            council_code=obj.council_id,
            push_url=obj.push_url,
            enabled=obj.enabled,
            alert_after_hours=obj.alert_after_hours,
        )


class DeliveryInline(admin.TabularInline):
    model = SyncDelivery
    extra = 0
    can_delete = False
    fields = (
        "council",
        "channel",
        "status",
        "from_position",
        "to_position",
        "changes",
        "http_status",
        "error",
        "duration_ms",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "trigger", "councils", "finished_at")
    list_filter = ("trigger",)
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SyncDelivery)
class SyncDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "council",
        "channel",
        "status",
        "changes",
        "from_position",
        "to_position",
        "http_status",
        "duration_ms",
    )
    list_filter = ("status", "channel")
    search_fields = ("council__code",)
    list_select_related = ("council",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
