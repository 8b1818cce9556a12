import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ordre.crypto import EncryptedTextField


class DocumentStatus(models.TextChoices):
    UPLOADED = "uploaded", _("déposé")
    PROCESSING = "processing", _("en cours de vérification")
    READY = "ready", _("disponible")
    REJECTED = "rejected", _("refusé")


class Document(models.Model):
    """One uploaded file, stored encrypted (ordre.crypto.streams) under `storage_name`.

    The primary key is a UUID assigned in Python: it is the row identity bound into
    the associated data of the encrypted filename and of the stored file.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("propriétaire"),
    )
    purpose = models.CharField(
        _("usage"),
        max_length=100,
        help_text=_("Étiquette libre de l'application qui a reçu le document."),
    )
    subject = models.CharField(
        _("sujet"),
        max_length=64,
        blank=True,
        help_text=_("« doctor:<id> » ou « patient:<id> », pour le journal d'audit."),
    )
    original_filename = EncryptedTextField(_("nom de fichier d'origine"))
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.BigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("nombre de pages"), null=True, blank=True)
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=DocumentStatus.choices,
        default=DocumentStatus.UPLOADED,
        db_index=True,
    )
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    storage_name = models.CharField(_("nom de stockage"), max_length=255, unique=True)
    key_id = models.CharField(_("clé de chiffrement"), max_length=32)
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    processed_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="documents_owner_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gte=0), name="documents_document_size_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="documents_document_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.pk}"

    @property
    def file_context(self) -> str:
        """The place of the stored file, authenticated by every encrypted chunk."""
        return f"documents.document:{self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY
