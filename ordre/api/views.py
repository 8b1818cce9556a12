"""The kernel endpoints of the API (`me`, `ping`) and the documentation pages."""

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ordre.api.authentication import api_key_of
from ordre.api.permissions import HasApiKeyScope
from ordre.api.serializers import MeSerializer, PingSerializer


class MeView(APIView):
    """Who is calling: a person (session) with roles, or a system (API key) with scopes."""

    # Any authenticated caller may ask who it is, keys included, whatever their scopes.
    permission_classes = [IsAuthenticated]

    @extend_schema(summary=_("Qui suis-je ?"), responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request, *args, **kwargs):
        key = api_key_of(request)
        if key is not None:
            data = {
                "kind": "api_key",
                "username": str(request.user),
                "full_name": key.owner,
                "roles": [],
                "scopes": sorted(key.scopes),
                "council_code": key.council_code,
            }
        else:
            user = request.user
            data = {
                "kind": "user",
                "username": user.get_username(),
                "full_name": user.get_full_name(),
                "roles": sorted(user.groups.values_list("name", flat=True)),
                "scopes": [],
                "council_code": "",
            }
        return Response(MeSerializer(data).data)


class PingView(APIView):
    """Checks that a machine client reaches the API with a valid key carrying `api.ping`."""

    permission_classes = [HasApiKeyScope]
    required_scopes = ("api.ping",)

    @extend_schema(summary=_("Vérifier l'accès par clé d'API"), responses=PingSerializer)
    def get(self, request, *args, **kwargs):
        return Response(
            PingSerializer(
                {"status": "pong", "version": request.version, "client": str(request.user)}
            ).data
        )


def _csrf_header_name() -> str:
    name = settings.CSRF_HEADER_NAME
    return name.removeprefix("HTTP_").replace("_", "-")


class SwaggerView(SpectacularSwaggerView):
    """Swagger UI from the sidecar's static files, started by a static script.

    drf-spectacular's own template starts Swagger UI with an inline script, which our
    Content-Security-Policy refuses: this page carries its configuration as a JSON data
    block and `api/swagger-init.js` reads it.
    """

    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return Response(
            data={
                "title": self.title,
                "swagger_ui_css": self._swagger_ui_resource("swagger-ui.css"),
                "swagger_ui_bundle": self._swagger_ui_resource("swagger-ui-bundle.js"),
                "swagger_ui_standalone": self._swagger_ui_resource(
                    "swagger-ui-standalone-preset.js"
                ),
                "favicon_href": self._swagger_ui_favicon(),
                "ui_config": {
                    "schemaUrl": self._get_schema_url(request),
                    "settings": spectacular_settings.SWAGGER_UI_SETTINGS or {},
                    "csrfHeaderName": _csrf_header_name(),
                    "csrfToken": get_token(request),
                },
            },
            template_name=self.template_name,
        )


class RedocView(SpectacularRedocView):
    """ReDoc from the sidecar's static files, started by a static script (see SwaggerView)."""

    template_name = "api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return Response(
            data={
                "title": self.title,
                "redoc_standalone": self._redoc_standalone(),
                "ui_config": {
                    "schemaUrl": self._get_schema_url(request),
                    "settings": spectacular_settings.REDOC_UI_SETTINGS or {},
                },
            },
            template_name=self.template_name,
        )
