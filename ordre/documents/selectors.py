"""Reads of the documents app."""

from collections.abc import Iterator

from django.core.files.storage import default_storage

from ordre.crypto.streams import decrypt_stream
from ordre.documents.models import Document


def document_get(*, document_id) -> Document | None:
    return Document.objects.select_related("owner").filter(pk=document_id).first()


def documents_of_owner(*, user):
    return Document.objects.filter(owner=user).order_by("-created_at")


def document_content(document: Document) -> Iterator[bytes]:
    """The decrypted bytes of a stored document, streamed chunk by chunk.

    Raises `ordre.crypto.DecryptionError` mid-stream if the stored file was altered.
    """
    with default_storage.open(document.storage_name, "rb") as stored:
        yield from decrypt_stream(stored, context=document.file_context)
