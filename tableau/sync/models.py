"""Delivery of the register changes to the 101 departmental councils.

A council's feed remembers the last outbox position it acknowledged. Every run and
every delivery is recorded. Changes stay in the outbox (`tableau.RegisterChange`);
nothing is copied per council, so a council that falls behind costs nothing.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ordre.crypto.fields import EncryptedRowMixin, EncryptedTextField


class CouncilFeed(EncryptedRowMixin, models.Model):
    council = models.OneToOneField(
        "councils.Council",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="sync_feed",
        verbose_name=_("conseil"),
    )
    push_url = models.URLField(
        _("adresse de réception"),
        blank=True,
        help_text=_(
            "Adresse HTTPS où pousser les changements ; vide : le conseil les tire par l'API."
        ),
    )
    signing_secret = EncryptedTextField(_("secret de signature HMAC"), null=True, blank=True)
    enabled = models.BooleanField(_("active"), default=True)
    acknowledged_position = models.BigIntegerField(_("dernière position acquittée"), default=0)
    acknowledged_at = models.DateTimeField(_("acquittée le"), null=True, blank=True)
    alert_after_hours = models.PositiveIntegerField(
        _("alerte après (heures)"),
        default=36,
        help_text=_(
            "Alerte si le conseil n'a rien acquitté depuis ce délai alors que des changements l'attendent."
        ),
    )
    alerted_at = models.DateTimeField(_("alerte envoyée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("flux d'un conseil")
        verbose_name_plural = _("flux des conseils")
        ordering = ["council_id"]

    def __str__(self) -> str:
        return f"{self.council_id} @ {self.acknowledged_position}"


class SyncRun(models.Model):
    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("planifiée")
        MANUAL = "manual", _("manuelle")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trigger = models.CharField(_("déclenchement"), max_length=10, choices=Trigger.choices)
    started_at = models.DateTimeField(_("début"), default=timezone.now)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    councils = models.PositiveIntegerField(_("conseils"), default=0)

    class Meta:
        verbose_name = _("exécution de synchronisation")
        verbose_name_plural = _("exécutions de synchronisation")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.get_trigger_display()})"


class SyncDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("en cours")
        DELIVERED = "delivered", _("livrée")
        NOTHING = "nothing", _("rien à livrer")
        FAILED = "failed", _("échec")

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="deliveries", null=True)
    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("canal"), max_length=4, default="push")
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    from_position = models.BigIntegerField(_("depuis la position"), default=0)
    to_position = models.BigIntegerField(_("jusqu'à la position"), default=0)
    changes = models.PositiveIntegerField(_("changements"), default=0)
    batches = models.PositiveIntegerField(_("lots"), default=0)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    gave_up = models.BooleanField(
        _("abandonnée"), default=False, help_text=_("Plus aucune nouvelle tentative.")
    )
    http_status = models.PositiveIntegerField(_("statut HTTP"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    started_at = models.DateTimeField(_("début"), default=timezone.now)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("livraison")
        verbose_name_plural = _("livraisons")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["council", "-started_at"], name="sync_delivery_council")]

    def __str__(self) -> str:
        return f"{self.council_id} {self.status} {self.from_position}→{self.to_position}"
