from celery import shared_task

from ordre.documents.clamav import ClamdError


@shared_task(
    name="documents.process",
    acks_late=True,
    autoretry_for=(ClamdError, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def process(document_id: str) -> str:
    """Verify an uploaded document (idempotent: a final document is left alone)."""
    from ordre.documents.services import process_document

    return process_document(document_id=document_id).status
