"""The register. Rows change only through `tableau.services` (audited, with an outbox row)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ordre.crypto.fields import (
    BlindIndexField,
    BlindIndexQuerySet,
    EncryptedDateField,
    EncryptedRowMixin,
    EncryptedTextField,
)
from tableau.enums import DoctorStatus, RegisterChangeKind, Sex


class Doctor(EncryptedRowMixin, models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="doctor",
        verbose_name=_("compte"),
    )
    rpps = models.CharField(_("numéro RPPS"), max_length=11, unique=True)
    # Civil identity (encrypted).
    birth_name = EncryptedTextField(_("nom de naissance"))
    used_name = EncryptedTextField(_("nom d’usage"), null=True, blank=True)
    first_names = EncryptedTextField(_("prénoms"))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = EncryptedDateField(_("date de naissance"))
    birth_place = EncryptedTextField(_("lieu de naissance"))
    # Exact-match lookups on the birth name (deduplication of applications).
    birth_name_index = BlindIndexField(source="birth_name", purpose="tableau.doctor.birth_name")
    birth_country = models.CharField(_("pays de naissance"), max_length=2, default="FR")
    nationality = models.CharField(_("nationalité"), max_length=2, default="FR")
    # Public name (the name of practice, shown in the directory) and its search form.
    public_last_name = models.CharField(_("nom d’exercice"), max_length=200)
    public_first_name = models.CharField(_("prénom d’exercice"), max_length=200)
    public_name_normalized = models.CharField(max_length=400, db_index=True, editable=False)
    # Contact.
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    # Place in the register.
    council = models.ForeignKey(
        "councils.Council",
        on_delete=models.PROTECT,
        related_name="doctors",
        verbose_name=_("conseil"),
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=DoctorStatus.choices, default=DoctorStatus.REGISTERED
    )
    status_since = models.DateField(_("statut depuis le"), default=timezone.localdate)
    registered_on = models.DateField(_("inscrit le"), default=timezone.localdate)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)

    objects = BlindIndexQuerySet.as_manager()

    class Meta:
        verbose_name = _("médecin")
        verbose_name_plural = _("médecins")
        ordering = ["public_last_name", "public_first_name", "id"]
        indexes = [models.Index(fields=["council", "status"], name="tableau_doctor_council_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rpps__regex=r"^[0-9]{11}$"), name="tableau_doctor_rpps_11_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DoctorStatus.values),
                name="tableau_doctor_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Dr {self.public_first_name} {self.public_last_name} ({self.rpps})"

    @property
    def display_name(self) -> str:
        return f"{self.public_first_name} {self.public_last_name}"


class DoctorStatusChange(EncryptedRowMixin, models.Model):
    """The dated history of a doctor's status, one row per change, per council."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="status_changes")
    council = models.ForeignKey("councils.Council", on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(_("statut avant"), max_length=12, blank=True)
    to_status = models.CharField(_("statut"), max_length=12, choices=DoctorStatus.choices)
    effective_on = models.DateField(_("à compter du"))
    reason = EncryptedTextField(_("motif"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("historique des statuts")
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.doctor_id}: {self.from_status}→{self.to_status} ({self.effective_on})"


class Qualification(models.Model):
    """A specialty (TRE_R38 code) recognised by the order."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="qualifications")
    code = models.CharField(_("spécialité"), max_length=10)
    obtained_on = models.DateField(_("obtenue le"), null=True, blank=True)
    ended_on = models.DateField(_("retirée le"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "code"],
                condition=models.Q(ended_on__isnull=True),
                name="tableau_qualification_one_active_per_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.doctor_id}: {self.code}"

    @property
    def label(self) -> str:
        from tableau.nomenclature import specialty_label

        return specialty_label(self.code) or self.code


class PracticePlace(models.Model):
    """A place and mode of practice (TRE_R23 mode: L liberal, S salaried, ...)."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="practice_places")
    mode = models.CharField(_("mode d’exercice"), max_length=2)
    name = models.CharField(_("structure"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=300)
    postal_code = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=100)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    finess = models.CharField(_("FINESS"), max_length=9, blank=True)
    is_primary = models.BooleanField(_("exercice principal"), default=False)
    started_on = models.DateField(_("depuis le"), default=timezone.localdate)
    ended_on = models.DateField(_("jusqu’au"), null=True, blank=True)

    class Meta:
        verbose_name = _("lieu d’exercice")
        verbose_name_plural = _("lieux d’exercice")
        ordering = ["-is_primary", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.doctor_id}: {self.name or self.address}"

    @property
    def mode_label(self) -> str:
        from tableau.nomenclature import practice_mode_label

        return practice_mode_label(self.mode) or self.mode


class RegisterChange(models.Model):
    """Outbox of the register: one row per change, written in the change's transaction.

    `id` is a bigserial: the position readers (the nightly council sync) acknowledge.
    `councils` lists every council concerned (both sides of a transfer). `payload` holds
    public fields only.
    """

    id = models.BigAutoField(primary_key=True)
    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="register_changes")
    councils = ArrayField(models.CharField(max_length=3), verbose_name=_("conseils concernés"))
    kind = models.CharField(_("nature"), max_length=24, choices=RegisterChangeKind.choices)
    payload = models.JSONField(_("contenu"), default=dict)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("changement du tableau")
        verbose_name_plural = _("changements du tableau")
        ordering = ["id"]
        indexes = [GinIndex(fields=["councils"], name="tableau_change_councils_gin")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} doctor {self.doctor_id}"


class Certificate(models.Model):
    """An attestation d'inscription: what the PDF shows, frozen when issued, and the code
    the public verification page answers for."""

    code = models.CharField(_("code de vérification"), max_length=20, unique=True)
    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="certificates")
    rpps = models.CharField(_("numéro RPPS"), max_length=11)
    display_name = models.CharField(_("nom d’exercice"), max_length=400)
    council = models.ForeignKey("councils.Council", on_delete=models.PROTECT, related_name="+")
    qualifications = models.JSONField(_("qualifications"), default=list)
    issued_at = models.DateTimeField(_("délivrée le"), default=timezone.now)

    class Meta:
        verbose_name = _("attestation d’inscription")
        verbose_name_plural = _("attestations d’inscription")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.code
