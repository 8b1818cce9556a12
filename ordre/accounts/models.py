from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs into Ordre. Roles are groups; scopes are membership models."""

    email = models.EmailField(_("adresse électronique"), blank=True)
    rpps = models.CharField(
        _("numéro RPPS"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Identifiant RPPS du professionnel, 11 chiffres."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rpps__isnull=True) | models.Q(rpps__regex=r"^[0-9]{11}$"),
                name="accounts_user_rpps_11_digits",
            ),
        ]


class BackupCode(models.Model):
    """A single-use recovery code. Only its HMAC is stored (keyed by SECRET_KEY); the
    code itself is shown once, when generated."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="backup_codes", verbose_name=_("utilisateur")
    )
    code_hash = models.CharField(_("empreinte du code"), max_length=64)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("code de secours")
        verbose_name_plural = _("codes de secours")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "code_hash"], name="accounts_backupcode_unique"
            ),
        ]

    def __str__(self):
        return f"code de secours #{self.pk}"


class UserSession(models.Model):
    """A login session of a user, mirrored from the session store so people can see
    and end their sessions. `ended_at` is set when it is ended (logout, revocation,
    expiry noticed by the middleware)."""

    session_key = models.CharField(_("clé de session"), max_length=40, unique=True)
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="tracked_sessions",
        verbose_name=_("utilisateur"),
    )
    created_at = models.DateTimeField(_("ouverte le"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("dernière activité"), auto_now_add=True)
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=40, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(
                fields=["user", "-last_seen_at"],
                name="accounts_session_active_idx",
                condition=models.Q(ended_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"session #{self.pk}"


class CouncilRole(models.TextChoices):
    CLERK = "clerk", _("Instructeur")
    RAPPORTEUR = "rapporteur", _("Rapporteur")
    SECRETARY = "secretary", _("Secrétaire général")
    PRESIDENT = "president", _("Président")


class CouncilMembership(models.Model):
    """A scope: the user works for this council (a clerk sees only their council's files)."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="council_memberships",
        verbose_name=_("utilisateur"),
    )
    council = models.ForeignKey(
        "councils.Council",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("conseil"),
    )
    role = models.CharField(
        _("fonction"), max_length=20, choices=CouncilRole.choices, default=CouncilRole.CLERK
    )
    since = models.DateField(_("depuis le"))

    class Meta:
        verbose_name = _("appartenance à un conseil")
        verbose_name_plural = _("appartenances à un conseil")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "council", "role"], name="accounts_councilmembership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.council_id} ({self.role})"
