"""Processing through the real Celery worker on the real broker (another process)."""

import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from ordre.audit.models import AuditEvent
from ordre.documents import services
from ordre.documents.models import Document, DocumentStatus
from tests.documents.conftest import MARKER, make_pdf, upload

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for_final_status(document, timeout: float = 30.0) -> Document:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = Document.objects.get(pk=document.pk)
        if current.status in (DocumentStatus.READY, DocumentStatus.REJECTED):
            return current
        time.sleep(0.05)
    raise AssertionError(f"document still {current.status} after {timeout} s")


def test_valid_pdf_becomes_ready_through_the_worker_then_owner_downloads_it(
    live_worker, owner, verified_client, cleanup_storage
):
    pdf = make_pdf(pages=2)
    document = services.upload_document(
        actor=owner, file=upload("rapport.pdf", pdf), purpose="tests.piece"
    )
    cleanup_storage.append(document.storage_name)
    with default_storage.open(document.storage_name, "rb") as stored:
        assert MARKER not in stored.read()
    ready = wait_for_final_status(document)
    assert ready.status == DocumentStatus.READY, ready.rejection_reason
    assert ready.page_count == 2
    event = AuditEvent.objects.get(action="documents.document.ready", target_id=str(document.pk))
    assert event.actor_label == "task:documents.process"
    assert event.task_id  # the worker bound its task id to the audit context
    response = verified_client(owner).get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf


def test_malformed_pdf_slipping_past_upload_is_rejected_by_the_worker(
    live_worker, owner, cleanup_storage
):
    truncated = make_pdf()[:400]  # starts with %PDF-: passes the upload check
    document = services.upload_document(
        actor=owner, file=upload("rapport.pdf", truncated), purpose="tests.piece"
    )
    cleanup_storage.append(document.storage_name)
    rejected = wait_for_final_status(document)
    assert rejected.status == DocumentStatus.REJECTED
    assert "PDF" in rejected.rejection_reason
