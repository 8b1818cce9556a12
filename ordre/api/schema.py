"""OpenAPI description of the API-key authentication (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "ordre.api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Clé d'API d'un système (conseil, établissement) : "
                "`Authorization: Api-Key ordre_<préfixe>_<secret>`."
            ),
        }


PROBLEM_COMPONENT = {
    "type": "object",
    "description": "RFC 9457 problem details (`application/problem+json`).",
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Ressource introuvable"},
        "status": {"type": "integer", "example": 404},
        "detail": {"type": "string"},
        "instance": {"type": "string", "example": "/api/v1/..."},
        "request_id": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Validation problems only: field → messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "retry_after": {"type": "integer", "description": "429 only: seconds to wait."},
    },
    "required": ["type", "title", "status", "detail", "instance"],
}

_DESCRIPTIONS = {
    "400": "Requête invalide (problème de validation : membre `errors`).",
    "401": "Authentification requise.",
    "403": "Accès refusé (droits ou portées de la clé).",
    "404": "Ressource introuvable.",
    "429": "Trop de requêtes (en-tête `Retry-After`).",
}


def add_problem_responses(result, generator, request, public):
    """Postprocessing hook: every operation documents its problem+json errors."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_COMPONENT
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["401", "403", "429"]
            if method in {"post", "put", "patch"}:
                codes.append("400")
            if "{" in path:
                codes.append("404")
            for code in codes:
                operation["responses"].setdefault(
                    code, {"description": _DESCRIPTIONS[code], "content": content}
                )
    return result
