"""Admin of API keys: list, issue (the secret is shown once), revoke. No edit, no delete:
every change goes through `ordre.api.services`, and a revoked key stays for the record."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from ordre.api.forms import ApiKeyIssueForm
from ordre.api.models import ApiKey
from ordre.api.services import issue_api_key, revoke_api_key


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "owner",
        "display_prefix",
        "scope_list",
        "council_code",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "council_code"]
    search_fields = ["name", "owner", "prefix"]
    readonly_fields = [
        "name",
        "owner",
        "display_prefix",
        "scopes",
        "council_code",
        "created_by",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    fields = readonly_fields
    list_select_related = ["created_by"]
    actions = ["revoke_selected"]

    @admin.display(description=_("préfixe"))
    def display_prefix(self, obj):
        return obj.display_prefix

    @admin.display(description=_("portées"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only pages (shown with the view or change permission); revoking is an action.
        return False

    @admin.action(description=_("Révoquer les clés sélectionnées"), permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        count = 0
        for key in queryset.filter(revoked_at__isnull=True):
            revoke_api_key(actor=request.user, key=key, reason="admin")
            count += 1
        self.message_user(request, _("%(count)d clé(s) révoquée(s).") % {"count": count})

    def has_revoke_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def get_urls(self):
        return [
            path(
                "issue/",
                self.admin_site.admin_view(self.issue_view),
                name="api_apikey_issue",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return self.issue_view(request)

    @method_decorator(never_cache)
    def issue_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiKeyIssueForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Émettre une clé d'API"),
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            try:
                issued = issue_api_key(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("La clé a été émise."))
                response = TemplateResponse(
                    request,
                    "admin/api/apikey/issued.html",
                    {
                        **context,
                        "title": _("Clé d'API émise"),
                        "key": issued.key,
                        "secret": issued.secret,
                    },
                )
                return response  # never_cache: the secret is kept by no cache
        return TemplateResponse(request, "admin/api/apikey/issue.html", context)
