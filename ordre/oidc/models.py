from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalIdentity(models.Model):
    """A link between a user and an identity at a provider, keyed by (issuer, subject)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("utilisateur"),
    )
    issuer = models.CharField(_("émetteur"), max_length=255)
    subject = models.CharField(_("identifiant chez le fournisseur"), max_length=255)
    provider = models.CharField(_("fournisseur"), max_length=32)
    created_at = models.DateTimeField(_("lié le"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("identité externe")
        verbose_name_plural = _("identités externes")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="oidc_identity_unique_issuer_subject"
            ),
            # One identity per provider and user: linking a second one must unlink first.
            models.UniqueConstraint(fields=["user", "issuer"], name="oidc_identity_unique_user"),
        ]

    def __str__(self):
        return f"{self.provider}:{self.subject[:12]}… → {self.user_id}"


class LoginState(models.Model):
    """A pending authorization (or logout) request: single use, short-lived, server-side.

    `state` goes to the provider and comes back; `binding_hash` ties it to the browser
    session that started it (against login CSRF); `nonce` and `code_verifier` never
    leave the server except in the authorization request (nonce) and token request.
    """

    class Purpose(models.TextChoices):
        LOGIN = "login", _("connexion")
        LINK = "link", _("liaison")
        LOGOUT = "logout", _("déconnexion")

    state = models.CharField(max_length=128, unique=True)
    provider = models.CharField(max_length=32)
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    nonce = models.CharField(max_length=128, blank=True)
    code_verifier = models.CharField(max_length=128, blank=True)
    redirect_uri = models.URLField(max_length=500, blank=True)
    next_url = models.CharField(max_length=500, blank=True)
    binding_hash = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("requête d'authentification en cours")
        verbose_name_plural = _("requêtes d'authentification en cours")

    def __str__(self):
        return f"{self.provider}/{self.purpose}"
