from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ordre.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the OpenAPI description of the API-key authentication.
        from ordre.api import schema  # noqa: F401
        from ordre.api.scopes import register_scope

        register_scope("api.ping", "Vérifier l'accès à l'API (ping).")
