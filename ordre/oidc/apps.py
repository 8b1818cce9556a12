from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "ordre.oidc"
    label = "oidc"
    verbose_name = "Connexion par fournisseur d'identité (OpenID Connect)"
