"""URLs of the API, included by the composition root under `api/`.

    /api/v1/...      version 1 (DRF NamespaceVersioning: the namespace `v1` is the version)
    /api/schema/     OpenAPI 3 schema (drf-spectacular)
    /api/docs/       Swagger UI          /api/redoc/   ReDoc   (local static files)

How an app plugs its endpoints in: it writes `<app>/api/urls.py` (with its own
`app_name`) and the composition root lists it in settings `ORDRE_API_V1_INCLUDES`,
as `(prefix, "module.path")` pairs, for example
`("annuaire/", "tableau.api.urls")` → `/api/v1/annuaire/...`, reversed as
`v1:<app_name>:<name>`. The kernel reads the dotted paths and never imports a domain app.
"""

from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from ordre.api import views

V1_NAMESPACE = "v1"


def _v1_urlpatterns() -> list:
    patterns = [
        path("me/", views.MeView.as_view(), name="me"),
        path("ping/", views.PingView.as_view(), name="ping"),
    ]
    for prefix, module in getattr(settings, "ORDRE_API_V1_INCLUDES", []):
        patterns.append(path(prefix, include(module)))
    return patterns


urlpatterns = [
    path("v1/", include((_v1_urlpatterns(), V1_NAMESPACE))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", views.RedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
