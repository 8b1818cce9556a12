"""RPPS numbers we issue, and the national directory extract as we last imported it.

`DirectoryEntry` holds **one row per professional activity** as published by the
national directory: the `PS_LibreAcces_Personne_activite` file has one line per
(professional, activity at a site, savoir-faire), so a doctor practising at two sites,
or holding two savoir-faire, has several lines. The natural key of a line
(`entry_key`) is made of: national id, profession, structure id, savoir-faire type,
savoir-faire code and mode of practice, joined by "|". Everything else (names, address, phone…) is
content: a change there is an *update*; a change in the key is a new activity (and the
old one stops being seen: `last_seen` older than the last import).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RppsAllocation(models.Model):
    """An RPPS number issued by us, once and for life (from the `rpps_allocation_seq`)."""

    number = models.CharField(_("numéro RPPS"), max_length=11, unique=True)
    sequence_value = models.BigIntegerField(_("valeur de séquence"), unique=True)
    allocated_at = models.DateTimeField(_("attribué le"), auto_now_add=True)
    allocated_by = models.CharField(_("attribué par"), max_length=150)
    subject = models.CharField(_("objet"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("attribution de numéro RPPS")
        verbose_name_plural = _("attributions de numéros RPPS")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^10[0-9]{9}$"),
                name="rpps_allocation_number_format",
            ),
        ]

    def __str__(self):
        return self.number


class ImportRun(models.Model):
    """One run of `import_ans_extract`, with its summary."""

    class Status(models.TextChoices):
        RUNNING = "running", _("en cours")
        SUCCEEDED = "succeeded", _("terminé")
        FAILED = "failed", _("échoué")

    file_name = models.CharField(_("fichier"), max_length=255)
    file_size = models.BigIntegerField(_("taille (octets)"), default=0)
    file_sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    layout = models.CharField(_("format"), max_length=16, blank=True)
    actor = models.CharField(_("lancé par"), max_length=150)
    status = models.CharField(
        _("état"), max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    lines_read = models.BigIntegerField(_("lignes lues"), default=0)
    inserted = models.BigIntegerField(_("ajoutées"), default=0)
    updated = models.BigIntegerField(_("modifiées"), default=0)
    unchanged = models.BigIntegerField(_("inchangées"), default=0)
    rejected = models.BigIntegerField(_("rejetées"), default=0)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("import de l'extraction RPPS")
        verbose_name_plural = _("imports de l'extraction RPPS")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"

    def summary(self) -> dict:
        return {
            "read": self.lines_read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


class ImportRejection(models.Model):
    """A line of an extract that was not imported, with its line number and reason."""

    class Reason(models.TextChoices):
        COLUMNS = "columns", _("nombre de colonnes incorrect")
        MISSING_ID = "missing_id", _("identifiant manquant")
        NOT_RPPS = "not_rpps", _("identifiant qui n'est pas un RPPS")
        RPPS_FORMAT = "rpps_format", _("RPPS qui n'a pas 11 chiffres")
        NATIONAL_ID = "national_id", _("identification nationale incohérente")
        DUPLICATE = "duplicate", _("doublon")
        ENCODING = "encoding", _("ligne qui n'est pas en UTF-8")
        QUOTES = "quotes", _("guillemets non fermés")

    run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="rejections", verbose_name=_("import")
    )
    line_no = models.BigIntegerField(_("ligne"))
    reason = models.CharField(_("motif"), max_length=16, choices=Reason.choices)
    detail = models.TextField(_("détail"), blank=True)
    excerpt = models.TextField(_("extrait"), blank=True)

    class Meta:
        verbose_name = _("ligne rejetée")
        verbose_name_plural = _("lignes rejetées")
        ordering = ["run", "line_no"]
        indexes = [models.Index(fields=["run", "line_no"], name="rpps_rejection_run_line")]

    def __str__(self):
        return f"ligne {self.line_no} : {self.get_reason_display()}"


class DirectoryEntry(models.Model):
    """One activity of one professional in the national directory extract (see module doc).

    Text columns are TextField on purpose: an over-long value in the national file must
    never make the whole merge fail. Empty values are stored as "".
    """

    # The natural key as text ("8"+RPPS, profession, structure, savoir-faire type and
    # code, mode, joined by "|"), compared byte-wise (collation "C") for speed.
    entry_key = models.TextField(_("clé de l'activité"), db_collation="C")
    pp_id_type = models.TextField(_("type d'identifiant PP"), blank=True)
    pp_id = models.TextField(_("identifiant PP"), blank=True)
    national_id = models.CharField(_("identification nationale PP"), max_length=12)
    rpps = models.CharField(_("numéro RPPS"), max_length=11)
    luhn_valid = models.BooleanField(
        _("clé de Luhn valide"),
        help_text=_("Indicateur seulement : un numéro importé qui échoue n'est pas rejeté."),
    )
    civility_code = models.TextField(_("code civilité d'exercice"), blank=True)
    last_name = models.TextField(_("nom d'exercice"), blank=True)
    first_name = models.TextField(_("prénom d'exercice"), blank=True)
    profession_code = models.TextField(_("code profession"), blank=True)
    category_code = models.TextField(_("code catégorie professionnelle"), blank=True)
    savoir_faire_type = models.TextField(_("type de savoir-faire"), blank=True)
    savoir_faire_code = models.TextField(_("code savoir-faire"), blank=True)
    practice_mode_code = models.TextField(_("mode d'exercice"), blank=True)
    siret = models.TextField(_("SIRET du site"), blank=True)
    siren = models.TextField(_("SIREN du site"), blank=True)
    finess_site = models.TextField(_("FINESS du site"), blank=True)
    finess_legal = models.TextField(_("FINESS de l'entité juridique"), blank=True)
    structure_id = models.TextField(_("identifiant technique de la structure"), blank=True)
    company_name = models.TextField(_("raison sociale du site"), blank=True)
    trade_name = models.TextField(_("enseigne commerciale"), blank=True)
    address_recipient = models.TextField(_("complément destinataire"), blank=True)
    address_place = models.TextField(_("complément point géographique"), blank=True)
    street_number = models.TextField(_("numéro de voie"), blank=True)
    street_repetition = models.TextField(_("indice de répétition"), blank=True)
    street_type_code = models.TextField(_("code type de voie"), blank=True)
    street_name = models.TextField(_("libellé de voie"), blank=True)
    distribution = models.TextField(_("mention de distribution"), blank=True)
    cedex_office = models.TextField(_("bureau cedex"), blank=True)
    postal_code = models.TextField(_("code postal"), blank=True)
    commune_code = models.TextField(_("code commune"), blank=True)
    commune_name = models.TextField(_("commune"), blank=True)
    country_code = models.TextField(_("code pays"), blank=True)
    phone = models.TextField(_("téléphone"), blank=True)
    phone2 = models.TextField(_("téléphone 2"), blank=True)
    fax = models.TextField(_("télécopie"), blank=True)
    email = models.TextField(_("adresse électronique"), blank=True)
    department_code = models.TextField(_("code département"), blank=True)
    # 64-bit hash of every content field (PostgreSQL hashtextextended, the function behind
    # hash partitioning, so stable across upgrades): "changed or not" in one comparison.
    content_hash = models.BigIntegerField(_("empreinte du contenu"))
    first_seen = models.DateTimeField(_("vu la première fois"))
    last_seen = models.DateTimeField(_("vu la dernière fois"))
    last_changed = models.DateTimeField(_("modifié le"))

    class Meta:
        verbose_name = _("entrée de l'annuaire national")
        verbose_name_plural = _("entrées de l'annuaire national")
        ordering = ["rpps", "id"]
        # No `unique=True`/`db_index=True` on these text columns: Django would add a second
        # "_like" index to each, doubling the index work of every imported row.
        constraints = [
            models.UniqueConstraint(fields=["entry_key"], name="rpps_entry_key_unique"),
        ]
        indexes = [models.Index(fields=["rpps"], name="rpps_entry_rpps")]

    def __str__(self):
        return f"{self.rpps} {self.last_name} {self.first_name}".strip()
