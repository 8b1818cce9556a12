"""The public directory: a read model of the register holding public fields only.

One row per doctor, refreshed in the same transaction as every register change (from
the outbox row's public payload), so the directory never shows a state the register
did not commit. Search runs on a normalised text (lowercase, no accents, no hyphens)
indexed for full-text prefix search: stock PostgreSQL, no extension.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DirectoryEntry(models.Model):
    doctor_id = models.BigIntegerField(primary_key=True)
    rpps = models.CharField(_("RPPS"), max_length=11, unique=True)
    last_name = models.CharField(_("nom"), max_length=200)
    first_name = models.CharField(_("prénom"), max_length=200)
    sort_name = models.CharField(max_length=400)
    status = models.CharField(_("statut"), max_length=12)
    listed = models.BooleanField(_("publié"), default=True)
    council = models.CharField(_("conseil"), max_length=3)
    specialties = ArrayField(models.CharField(max_length=10), default=list)
    modes = ArrayField(models.CharField(max_length=2), default=list)
    departments = ArrayField(models.CharField(max_length=3), default=list)
    cities = ArrayField(models.CharField(max_length=100), default=list)
    places = models.JSONField(default=list)
    search = SearchVectorField(null=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("fiche de l'annuaire")
        verbose_name_plural = _("annuaire public")
        indexes = [
            GinIndex(fields=["search"], name="directory_search_gin"),
            GinIndex(fields=["specialties"], name="directory_specialties_gin"),
            GinIndex(fields=["departments"], name="directory_departments_gin"),
            models.Index(fields=["sort_name", "rpps"], name="directory_sort"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.rpps})"


class BulkFile(models.Model):
    """A downloadable file of the whole directory (full) or of a day's changes (delta)."""

    class Kind(models.TextChoices):
        FULL = "full", _("complet")
        DELTA = "delta", _("différentiel")

    kind = models.CharField(_("type"), max_length=5, choices=Kind.choices)
    day = models.DateField(_("jour"))
    # A delta holds the entries changed in (since, until]; a full file, everything at `until`.
    since = models.DateTimeField(_("depuis"), null=True, blank=True)
    until = models.DateTimeField(_("jusqu'à"))
    storage_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(_("lignes"), default=0)
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fichier de l'annuaire")
        verbose_name_plural = _("fichiers de l'annuaire")
        ordering = ["-day", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "day"], name="directory_bulk_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"

    @property
    def filename(self) -> str:
        prefix = (
            "annuaire-medecins-complet"
            if self.kind == self.Kind.FULL
            else "annuaire-medecins-delta"
        )
        return f"{prefix}-{self.day:%Y-%m-%d}.csv.gz"
