"""Every write of the documents app: upload, processing, file key rotation."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import logging
import os
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from ordre.audit.actors import SystemActor
from ordre.audit.services import record_event
from ordre.crypto.exceptions import CryptoError
from ordre.crypto.rotation import RotationReport
from ordre.crypto.streams import EncryptingReader, FileTooLarge, StreamEncryptor, decrypt_stream
from ordre.documents import filetypes
from ordre.documents.clamav import ClamdClient
from ordre.documents.models import Document, DocumentStatus
from ordre.notifications.services import notify

logger = logging.getLogger(__name__)

PROCESS_ACTOR = SystemActor("task:documents.process")
FINAL_STATUSES = (DocumentStatus.READY, DocumentStatus.REJECTED)


def _new_storage_name() -> str:
    token = secrets.token_hex(16)
    return f"documents/{token[:2]}/{token}.enc"


def _clean_filename(name: str | None) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(c for c in base if c.isprintable())
    return base[-200:] or "document"


def _peek(file, size: int) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _too_large_error(max_size: int) -> ValidationError:
    return ValidationError(
        _("Le fichier dépasse la taille maximale autorisée (%(max)s).")
        % {"max": filesizeformat(max_size)},
        code="too_large",
    )


def _store_encrypted(*, document: Document, file, max_size: int) -> StreamEncryptor:
    """Encrypt `file` as it is read and write only ciphertext to storage."""
    encryptor = StreamEncryptor(file, context=document.file_context, max_size=max_size)
    name = _new_storage_name()
    try:
        document.storage_name = default_storage.save(name, File(EncryptingReader(encryptor), name))
    except FileTooLarge:
        # The name is random (128 bits): a partial file under it can only be ours.
        default_storage.delete(name)
        raise _too_large_error(max_size) from None
    return encryptor


def upload_document(
    *,
    actor,
    file,
    purpose: str,
    allowed_types: tuple[str, ...] = ("pdf", "jpeg", "png"),
    owner=None,
    subject: str = "",
) -> Document:
    """Check `file` by content and size, store it encrypted, record it, schedule processing.

    `owner` defaults to the actor. Raises `ValidationError` (French message) when the
    file is refused. The file is encrypted while it is written: storage never sees
    plaintext.
    """
    owner = owner or actor
    max_size = settings.DOCUMENT_MAX_SIZE
    if getattr(file, "size", None) is not None and file.size > max_size:
        raise _too_large_error(max_size)
    kind = filetypes.detect_kind(_peek(file, filetypes.HEAD_BYTES))
    if kind is None or kind not in allowed_types:
        raise ValidationError(
            _(
                "Ce fichier n’est pas accepté : son contenu n’est pas au format %(types)s "
                "(le format est vérifié d’après le contenu, pas d’après le nom)."
            )
            % {"types": ", ".join(filetypes.LABELS[t] for t in allowed_types)},
            code="invalid_type",
        )
    document = Document(
        owner=owner,
        purpose=purpose,
        subject=subject,
        original_filename=_clean_filename(getattr(file, "name", "")),
        content_type=filetypes.content_type_of(kind),
        status=DocumentStatus.UPLOADED,
    )
    encryptor = _store_encrypted(document=document, file=file, max_size=max_size)
    document.size = encryptor.plaintext_size
    document.key_id = encryptor.key_id
    try:
        with transaction.atomic():
            document.save(force_insert=True)
            record_event(
                actor=actor,
                action="documents.document.uploaded",
                target=document,
                subject=subject,
                changes={
                    "status": [None, document.status],
                    "content_type": [None, document.content_type],
                    "size": [None, document.size],
                    "purpose": [None, purpose],
                },
            )
            transaction.on_commit(functools.partial(_schedule_processing, document.pk))
    except BaseException:
        default_storage.delete(document.storage_name)
        raise
    return document


def _schedule_processing(document_id) -> None:
    from ordre.documents.tasks import process

    process.delay(str(document_id))


@dataclass
class Inspection:
    sha256: str = ""
    page_count: int | None = None
    reason: str = ""


def _inspect_pdf(buffer: io.BytesIO) -> tuple[int | None, str]:
    from pypdf import PdfReader

    data = buffer.getbuffer()
    if b"%%EOF" not in bytes(data[-2048:]):
        return None, _("Le fichier PDF est incomplet ou endommagé.")
    try:
        reader = PdfReader(buffer, strict=True)
        if reader.is_encrypted:
            return None, _(
                "Le fichier PDF est protégé par un mot de passe ou chiffré : "
                "déposez une version non protégée."
            )
        pages = len(reader.pages)
    except Exception:  # noqa: BLE001 - any parser failure on untrusted input means "malformed"
        return None, _("Le fichier PDF est illisible ou endommagé.")
    if pages < 1:
        return None, _("Le fichier PDF ne contient aucune page.")
    return pages, ""


def inspect_document(document: Document) -> Inspection:
    """Decrypt the stored file once, streaming: type, SHA-256, PDF checks, antivirus.

    Raises `ClamdError` / `OSError` when an infrastructure part fails (retry later).
    """
    kind = filetypes.KIND_BY_CONTENT_TYPE.get(document.content_type)
    digest = hashlib.sha256()
    head, tail, size = b"", b"", 0
    pdf_buffer = io.BytesIO() if kind == "pdf" else None
    scanner = ClamdClient.from_settings()
    scan = scanner.instream() if scanner else None
    try:
        with default_storage.open(document.storage_name, "rb") as stored:
            try:
                for chunk in decrypt_stream(stored, context=document.file_context):
                    if len(head) < filetypes.HEAD_BYTES:
                        head += chunk[: filetypes.HEAD_BYTES - len(head)]
                    tail = (tail + chunk)[-16:]
                    digest.update(chunk)
                    size += len(chunk)
                    if pdf_buffer is not None:
                        pdf_buffer.write(chunk)
                    if scan is not None:
                        scan.send(chunk)
            except CryptoError:
                logger.error("stored document %s failed authentication", document.pk)
                return Inspection(reason=_("Le fichier stocké est altéré ; déposez-le à nouveau."))
        result = Inspection(sha256=digest.hexdigest())
        if kind is None or filetypes.detect_kind(head) != kind or size != document.size:
            result.reason = _("Le contenu du fichier ne correspond pas au format déclaré.")
        elif kind == "png" and not tail.endswith(filetypes.PNG_TRAILER):
            result.reason = _("L’image PNG est incomplète ou endommagée.")
        elif pdf_buffer is not None:
            result.page_count, result.reason = _inspect_pdf(pdf_buffer)
        if scan is not None:
            verdict = scan.finish()
            if not verdict.clean:  # the antivirus verdict takes precedence
                result.reason = _(
                    "L’antivirus a détecté un contenu malveillant (%(signature)s) : "
                    "le document est refusé."
                ) % {"signature": verdict.signature}
        return result
    finally:
        if scan is not None:
            scan.__exit__(None, None, None)


def _notify_owner(document: Document) -> None:
    """Tell the owner the outcome (no filename: the inbox is not encrypted)."""
    if document.status == DocumentStatus.READY:
        template = "documents/ready"
        context = {
            "uploaded_at": document.created_at,
            "link": reverse("documents:download", args=[document.pk]),
        }
    else:
        template = "documents/rejected"
        context = {"uploaded_at": document.created_at, "reason": document.rejection_reason}
    notify(recipient=document.owner, template=template, context=context)


def process_document(*, document_id) -> Document:
    """Verify an uploaded document and mark it ready or rejected. Idempotent."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status in FINAL_STATUSES:
            return document
        if document.status == DocumentStatus.UPLOADED:
            document.status = DocumentStatus.PROCESSING
            document.save(update_fields=["status"])
            record_event(
                actor=PROCESS_ACTOR,
                action="documents.document.processing_started",
                target=document,
                subject=document.subject,
                changes={"status": [DocumentStatus.UPLOADED, DocumentStatus.PROCESSING]},
            )
    inspection = inspect_document(document)
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(of=("self",))
            .select_related("owner")
            .get(pk=document_id)
        )
        if document.status in FINAL_STATUSES:
            return document
        before = document.status
        document.sha256 = inspection.sha256
        document.page_count = inspection.page_count
        document.processed_at = dt.datetime.now(dt.UTC)
        if inspection.reason:
            document.status = DocumentStatus.REJECTED
            document.rejection_reason = inspection.reason
        else:
            document.status = DocumentStatus.READY
        document.save(
            update_fields=["sha256", "page_count", "processed_at", "status", "rejection_reason"]
        )
        record_event(
            actor=PROCESS_ACTOR,
            action="documents.document."
            + ("rejected" if document.status == DocumentStatus.REJECTED else "ready"),
            target=document,
            subject=document.subject,
            changes={
                "status": [before, document.status],
                "page_count": [None, document.page_count],
            },
            reason=document.rejection_reason,
        )
        _notify_owner(document)
    return document


def rotate_document_files(*, keyring, batch_size: int, dry_run: bool) -> RotationReport:
    """Re-encrypt stored files whose key id is not the active one (used by rotate_keys).

    Each file is re-encrypted to a new storage name, the row switched in a short
    transaction (the row lock keeps a concurrent rotation out), then the old file deleted.
    """
    report = RotationReport(label="documents.Document (files)")
    stale = Document.objects.exclude(key_id=keyring.active_id)
    if dry_run:
        report.remaining = stale.count()
        return report
    last_pk = None
    while True:
        batch = stale.order_by("pk").only("pk", "storage_name", "key_id")
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        rows = list(batch[:batch_size])
        for row in rows:
            try:
                _rotate_file(row, keyring=keyring)
            except (CryptoError, OSError):
                logger.exception("could not re-encrypt document file %s", row.pk)
                report.failures += 1
            else:
                report.rows_rotated += 1
                report.values_rotated += 1
        if len(rows) < batch_size:
            break
        last_pk = rows[-1].pk
    report.remaining = stale.count()
    return report


def _rotate_file(row: Document, *, keyring) -> None:
    with default_storage.open(row.storage_name, "rb") as stored:
        plaintext = _ChunkReader(decrypt_stream(stored, context=row.file_context, keyring=keyring))
        encryptor = StreamEncryptor(plaintext, context=row.file_context, keyring=keyring)
        new_name = default_storage.save(
            _new_storage_name(), File(EncryptingReader(encryptor), "rotated")
        )
    with transaction.atomic():
        current = Document.objects.select_for_update().get(pk=row.pk)
        if current.storage_name != row.storage_name:
            default_storage.delete(new_name)
            return
        Document.objects.filter(pk=row.pk).update(storage_name=new_name, key_id=encryptor.key_id)
        record_event(
            actor=SystemActor("command:rotate_keys"),
            action="documents.document.file_reencrypted",
            target=current,
            changes={"key_id": [row.key_id, encryptor.key_id]},
        )
        old_name = row.storage_name
        transaction.on_commit(lambda: default_storage.delete(old_name))


class _ChunkReader(io.RawIOBase):
    """A file object reading from an iterator of byte chunks."""

    def __init__(self, chunks):
        super().__init__()
        self._chunks = iter(chunks)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size
