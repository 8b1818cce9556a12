"""The dossier engine's tables. Rows change only through `ordre.procedures.services`."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ordre.crypto.fields import EncryptedJSONField, EncryptedRowMixin, EncryptedTextField
from ordre.procedures.enums import CLOCK_STATES, Decision, DossierState


class DossierQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            state__in=[DossierState.SUBMITTED, DossierState.INCOMPLETE, DossierState.UNDER_REVIEW]
        )

    def overdue(self, now=None):
        return self.filter(
            state__in=list(CLOCK_STATES), deadline__isnull=False, deadline__lt=now or timezone.now()
        )


class Dossier(EncryptedRowMixin, models.Model):
    kind = models.CharField(_("démarche"), max_length=40, db_index=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("demandeur"),
    )
    council = models.ForeignKey(
        "councils.Council",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("conseil"),
    )
    #: The council the applicant leaves (a transfer): its clerks follow the dossier,
    #: read-only; the dossier's own `council` decides.
    origin_council = models.ForeignKey(
        "councils.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing_dossiers",
        verbose_name=_("conseil de départ"),
    )
    state = models.CharField(
        _("état"), max_length=20, choices=DossierState.choices, default=DossierState.DRAFT
    )
    assigned_clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("instructeur"),
    )
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_dossiers",
        verbose_name=_("rapporteur"),
    )
    form_data = EncryptedJSONField(_("formulaire"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    completed_at = models.DateTimeField(_("déclaré complet le"), null=True, blank=True)
    deadline = models.DateTimeField(_("date limite de décision"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decision = models.CharField(
        _("décision"), max_length=20, choices=Decision.choices, blank=True, default=""
    )
    refusal_reasons = EncryptedTextField(_("motifs du refus"), null=True, blank=True)
    appeal_deadline = models.DateTimeField(_("date limite de recours"), null=True, blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["council", "state"], name="proc_dossier_council_state"),
            # The clerk's queue: one council, sorted by remaining time (LIMIT without a sort).
            models.Index(
                fields=["council", "deadline", "submitted_at", "id"], name="proc_dossier_queue"
            ),
            models.Index(
                fields=["deadline"],
                name="proc_dossier_clock",
                condition=models.Q(state__in=["submitted", "under_review"], deadline__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=DossierState.values), name="proc_dossier_state_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="refused") | models.Q(refusal_reasons__isnull=False),
                name="proc_dossier_refusal_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.kind})"

    @property
    def reference(self) -> str:
        return f"D-{self.pk:07d}" if self.pk else "D-nouveau"

    @property
    def kind_label(self) -> str:
        from ordre.procedures.registry import get_kind

        try:
            return str(get_kind(self.kind).label)
        except LookupError:
            return self.kind

    @property
    def is_waiting_for_pieces(self) -> bool:
        return self.state == DossierState.INCOMPLETE


class DossierEvent(EncryptedRowMixin, models.Model):
    """The history of a dossier: one row per transition, append-only."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    verb = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("état avant"), max_length=20)
    to_state = models.CharField(_("état après"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("acteur"), max_length=100, blank=True, default="")
    comment = EncryptedTextField(_("commentaire"), null=True, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("événement du dossier")
        verbose_name_plural = _("historique des dossiers")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.verb} {self.from_state}→{self.to_state}"


class Piece(models.Model):
    """A document given for one of the pieces of the dossier's procedure."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pieces")
    code = models.CharField(_("pièce"), max_length=40)
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("ajoutée le"), default=timezone.now)
    removed_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("pièce")
        verbose_name_plural = _("pièces")
        ordering = ["code", "added_at", "id"]
        indexes = [models.Index(fields=["dossier", "code"], name="proc_piece_dossier_code")]

    def __str__(self) -> str:
        return f"{self.dossier_id}/{self.code}"


class PieceRequest(EncryptedRowMixin, models.Model):
    """A clerk's request for missing or invalid pieces (the dossier waits for them)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="piece_requests")
    codes = models.JSONField(_("pièces demandées"), default=list)
    comment = EncryptedTextField(_("message"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    answered_at = models.DateTimeField(_("satisfaite le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande de pièces")
        verbose_name_plural = _("demandes de pièces")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {', '.join(self.codes)}"


class Message(EncryptedRowMixin, models.Model):
    """The thread between the applicant and the council's clerks."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_clerk = models.BooleanField(_("envoyé par le conseil"), default=False)
    body = EncryptedTextField(_("message"))
    attachments = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("pièces jointes")
    )
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: message {self.pk}"


class PrivateNote(EncryptedRowMixin, models.Model):
    """A note between clerks, never shown to the applicant."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now)

    class Meta:
        verbose_name = _("note privée")
        verbose_name_plural = _("notes privées")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: note {self.pk}"
