"""API keys of machine clients (council systems, hospital systems).

Only the SHA-256 of a key is stored; the key itself is shown once, when issued.
A key reads `ordre_<prefix>_<secret>`: the prefix identifies the key to humans and
to the lookup, the secret is 256 bits of randomness. As the secret is random and
long, a plain SHA-256 is enough (a slow password hash would only slow every request).
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKeyQuerySet(models.QuerySet):
    def usable(self, *, now=None):
        """Keys neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    owner = models.CharField(
        _("détenteur"),
        max_length=200,
        blank=True,
        help_text=_("Système ou organisme qui utilise la clé (ex. : SI du conseil 75)."),
    )
    prefix = models.CharField(_("préfixe"), max_length=16, unique=True, editable=False)
    hashed_secret = models.CharField(
        _("empreinte SHA-256"), max_length=64, unique=True, editable=False
    )
    scopes = ArrayField(
        models.CharField(max_length=64),
        verbose_name=_("portées"),
        default=list,
        blank=True,
    )
    council_code = models.CharField(
        _("code du conseil"),
        max_length=3,
        blank=True,
        help_text=_("Conseil départemental auquel la clé est limitée, le cas échéant."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")
        ordering = ["-created_at"]
        constraints = [
            # The database itself refuses anything but a hex SHA-256 in the secret column.
            models.CheckConstraint(
                condition=models.Q(hashed_secret__regex=r"^[0-9a-f]{64}$"),  # noqa: S106
                name="api_apikey_hashed_secret_is_sha256",
            ),
            models.CheckConstraint(
                condition=models.Q(prefix__regex=r"^[0-9a-f]{8,16}$"),
                name="api_apikey_prefix_hex",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (ordre_{self.prefix}_…)"

    @property
    def display_prefix(self) -> str:
        return f"ordre_{self.prefix}_…"

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, *, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def has_scopes(self, required) -> bool:
        return set(required) <= set(self.scopes)
