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
    path("", include("ordre.portal.urls")),
]
