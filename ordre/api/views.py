"""The kernel endpoints of the API (`me`, `ping`) and the documentation pages."""

from csp.decorators import csp_update
from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
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


# <style> elements of redoc.standalone.js inserted before start-up: perfect-scrollbar's
# CSS, and an empty one.
REDOC_STYLE_HASHES = [
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
]


class RedocView(SpectacularRedocView):
    """ReDoc from the sidecar's static files, started by a static script (see SwaggerView).

    ReDoc styles itself by inserting <style> elements; it is given the request's CSP
    nonce (its `nonce` option) so they pass `style-src` without `'unsafe-inline'`. Two
    elements are inserted when the bundle loads, before ReDoc can read that option: they
    are allowed by the hashes of their fixed content (`REDOC_STYLE_HASHES`; a new sidecar
    version may change them, and the browser test then reports the violation). Search is
    disabled: it runs in a worker built from a `blob:` URL, which the CSP refuses. The
    "Redocly" logo, loaded from a CDN, is refused by the CSP and hidden by ReDoc itself.
    """

    template_name = "api/redoc.html"

    @extend_schema(exclude=True)
    @method_decorator(csp_update({"style-src": REDOC_STYLE_HASHES}))
    def get(self, request, *args, **kwargs):
        return Response(
            data={
                "title": self.title,
                "redoc_standalone": self._redoc_standalone(),
                "favicon_href": SwaggerView._swagger_ui_favicon(),
                "ui_config": {
                    "schemaUrl": self._get_schema_url(request),
                    "settings": {
                        "disableSearch": True,
                        **(spectacular_settings.REDOC_UI_SETTINGS or {}),
                        # ReDoc's styled-components put this nonce on the <style>
                        # elements they create, which the CSP then accepts.
                        "nonce": str(request.csp_nonce),
                    },
                },
            },
            template_name=self.template_name,
        )
