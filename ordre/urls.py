"""Composition root of the URLs: the only place that wires every app together."""

from django.contrib import admin
from django.urls import include, path

from ordre.ops import views as ops_views

urlpatterns = [
    path("health/", ops_views.health, name="health"),
    path("ready/", ops_views.ready, name="ready"),
    path("metrics/", ops_views.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("comptes/", include("ordre.accounts.urls")),
    path("comptes/cles-de-securite/", include("ordre.accounts.webauthn_urls")),
    path("comptes/", include("ordre.oidc.urls")),
    path("messagerie/", include("ordre.notifications.urls")),
    path("documents/", include("ordre.documents.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("ordre.api.urls")),
    path("annuaire/", include("tableau.directory.urls")),
    path("fhir/", include("tableau.fhir.urls")),
    path("", include("tableau.directory.clerk_urls")),
    path("", include("ordre.procedures.urls")),
    path("", include("tableau.urls")),
    path("", include("ordre.portal.urls")),
]

# French error pages that leak nothing (ordre/portal/views.py).
handler400 = "ordre.portal.views.bad_request"
handler403 = "ordre.portal.views.permission_denied"
handler404 = "ordre.portal.views.page_not_found"
handler500 = "ordre.portal.views.server_error"
