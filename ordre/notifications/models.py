"""The portal inbox and the log of e-mails to send.

`InboxMessage` is what a person reads on `/messagerie/`. `EmailDelivery` is one
e-mail, rendered when the notification was made and sent later by a Celery task;
its `sent_at` makes the sending idempotent (a redelivered task sends nothing).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InboxMessage(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
        verbose_name=_("destinataire"),
    )
    template = models.CharField(_("modèle"), max_length=100)
    subject = models.CharField(_("objet"), max_length=255)
    body = models.TextField(_("message"))
    link = models.CharField(_("lien"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox_recipient_created"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_inbox_recipient_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailDelivery(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="email_deliveries",
        verbose_name=_("destinataire"),
    )
    message = models.ForeignKey(
        InboxMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="email_deliveries",
        verbose_name=_("message de la messagerie"),
    )
    template = models.CharField(_("modèle"), max_length=100)
    to_address = models.EmailField(_("adresse"))
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("envoi de courriel")
        verbose_name_plural = _("envois de courriels")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="notif_delivery_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to_address}"
