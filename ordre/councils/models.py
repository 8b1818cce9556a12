"""The councils of the order: reference data, one row per code.

A row is a place a doctor can be attached to: the 101 departmental councils, the
national council (which keeps the special list of doctors practising abroad) and
Saint-Pierre-et-Miquelon, which has no council (the State decides). `kind` tells
them apart; see README.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilKind(models.TextChoices):
    DEPARTMENTAL = "departmental", _("Conseil départemental")
    NATIONAL = "national", _("Conseil national")
    NONE = "none", _("Sans conseil (décision de l'État)")


NATIONAL_CODE = "CN"


class CouncilQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def departmental(self):
        return self.filter(kind=CouncilKind.DEPARTMENTAL)


class Council(models.Model):
    code = models.CharField(
        _("code"),
        max_length=3,
        primary_key=True,
        help_text=_("Code du département (01 à 95, 2A, 2B, 971 à 976) ou CN pour le national."),
    )
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(
        _("nature"), max_length=12, choices=CouncilKind.choices, default=CouncilKind.DEPARTMENTAL
    )
    department_code = models.CharField(
        _("code du département"),
        max_length=3,
        blank=True,
        help_text=_("Département ou collectivité couvert ; vide pour le conseil national."),
    )
    region_code = models.CharField(_("code de la région"), max_length=2, blank=True)
    region_name = models.CharField(_("région"), max_length=100, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    address = models.TextField(_("adresse postale"), blank=True)
    is_active = models.BooleanField(
        _("en service"),
        default=True,
        help_text=_("Décocher plutôt que supprimer : des dossiers peuvent s'y rattacher."),
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("conseil")
        verbose_name_plural = _("conseils")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CouncilKind.values), name="councils_council_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^([0-9]{2}|2A|2B|97[0-9]|CN)$"),
                name="councils_council_code_format",
            ),
            # The national council is the only one without a département, and is unique.
            models.CheckConstraint(
                condition=(
                    models.Q(kind=CouncilKind.NATIONAL, department_code="")
                    | (
                        ~models.Q(kind=CouncilKind.NATIONAL)
                        & models.Q(department_code=models.F("code"))
                    )
                ),
                name="councils_council_department_matches_code",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind=CouncilKind.NATIONAL),
                name="councils_council_one_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_departmental(self) -> bool:
        return self.kind == CouncilKind.DEPARTMENTAL
