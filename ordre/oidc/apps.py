from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "ordre.oidc"
    label = "oidc"
    verbose_name = "Connexion par fournisseur d'identité (OpenID Connect)"

    def ready(self):
        from ordre.accounts.middleware import allow_unverified

        # A session waiting for its second factor may still log out (here and at the
        # provider) or start another provider login; linking stays behind 2FA.
        for name in ("oidc:begin", "oidc:callback", "oidc:logout", "oidc:logout_return"):
            allow_unverified(name)
