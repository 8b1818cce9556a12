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
