from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ordre.accounts import services
from ordre.accounts.models import CouncilMembership, User, UserSession


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Professionnel"), {"fields": ("rpps",)}),
    )
    list_display = ("username", "email", "first_name", "last_name", "rpps", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "rpps")
    actions = ["end_sessions", "disable_users", "reset_second_factors"]

    @admin.action(description=_("Terminer toutes les sessions des utilisateurs sélectionnés"))
    def end_sessions(self, request, queryset):
        total = sum(
            services.sessions_end_all(actor=request.user, user=user, reason="ended_by_admin")
            for user in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d session terminée.", "%(count)d sessions terminées.", total)
            % {"count": total},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Désactiver les utilisateurs sélectionnés (et terminer leurs sessions)")
    )
    def disable_users(self, request, queryset):
        count = 0
        for user in queryset.filter(is_active=True):
            services.disable_user(actor=request.user, user=user, reason="admin")
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d compte désactivé.", "%(count)d comptes désactivés.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Réinitialiser la double authentification (facteurs perdus)"))
    def reset_second_factors(self, request, queryset):
        count = 0
        for user in queryset:
            services.second_factors_reset(actor=request.user, user=user, reason="admin")
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d compte devra réactiver sa double authentification.",
                "%(count)d comptes devront réactiver leur double authentification.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_seen_at", "ended_at", "end_reason", "ip")
    list_filter = ("end_reason",)
    list_select_related = ("user",)
    search_fields = ("user__username",)
    readonly_fields = [f.name for f in UserSession._meta.fields if f.name != "session_key"]
    exclude = ("session_key",)
    actions = ["end_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Terminer les sessions sélectionnées"))
    def end_selected(self, request, queryset):
        count = 0
        for user_session in queryset.filter(ended_at__isnull=True):
            services.session_end(
                actor=request.user, user_session=user_session, reason="ended_by_admin"
            )
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d session terminée.", "%(count)d sessions terminées.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(CouncilMembership)
class CouncilMembershipAdmin(admin.ModelAdmin):
    """Scopes of council staff. Writes go through the audited services."""

    list_display = ("user", "council", "role", "since")
    list_filter = ("role", "council")
    list_select_related = ("user", "council")
    search_fields = ("user__username", "user__last_name", "council__code")
    autocomplete_fields = ("user",)
    fields = ("user", "council", "role", "since")

    def get_readonly_fields(self, request, obj=None):
        # A membership is added or removed, never edited in place.
        return self.fields if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = services.council_membership_add(
            actor=request.user,
            user=obj.user,
            council_code=obj.council_id,
            role=obj.role,
            since=obj.since,
        )
        obj.pk = created.pk

    def delete_model(self, request, obj):
        services.council_membership_remove(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.council_membership_remove(actor=request.user, membership=membership)
