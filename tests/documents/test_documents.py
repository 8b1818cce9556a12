import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from ordre.audit.models import AuditEvent
from ordre.documents import services
from ordre.documents.clamav import ClamdError
from ordre.documents.models import Document, DocumentStatus
from ordre.documents.permissions import register_access_rule, unregister_access_rule
from tests.documents.conftest import MARKER, make_pdf, upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40 + b"IEND\xaeB`\x82"


def stored_bytes(document) -> bytes:
    with default_storage.open(document.storage_name, "rb") as f:
        return f.read()


def do_upload(owner, content, name="piece.pdf", cleanup=None, **kwargs):
    document = services.upload_document(
        actor=owner, file=upload(name, content), purpose="tests.piece", **kwargs
    )
    if cleanup is not None:
        cleanup.append(document.storage_name)
    return document


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"Ceci n'est pas un PDF", b"MZ\x90\x00 executable", b"", b"GIF89a..."],
)
def test_pdf_name_with_other_content_is_refused_at_upload(owner, content):
    with pytest.raises(ValidationError) as excinfo:
        do_upload(owner, content, name="certificat.pdf")
    assert excinfo.value.code == "invalid_type"
    assert "contenu" in excinfo.value.messages[0]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_allowed_types_are_enforced_by_content(owner):
    with pytest.raises(ValidationError):
        do_upload(owner, PNG, name="scan.pdf", allowed_types=("pdf",))


@pytest.mark.django_db
def test_size_limit(owner):
    with override_settings(DOCUMENT_MAX_SIZE=100), pytest.raises(ValidationError) as excinfo:
        do_upload(owner, make_pdf())
    assert excinfo.value.code == "too_large"
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_upload_stores_only_ciphertext_and_records_the_event(
    owner, cleanup_storage, django_capture_on_commit_callbacks
):
    pdf = make_pdf()
    with django_capture_on_commit_callbacks() as callbacks:
        document = do_upload(owner, pdf, name="Dossier Dupont.pdf", cleanup=cleanup_storage)
    assert len(callbacks) == 1  # processing scheduled after commit
    stored = stored_bytes(document)
    assert MARKER not in stored and b"%PDF" not in stored and b"Dupont" not in stored
    assert stored.startswith(b"ORDF")
    assert document.storage_name.startswith("documents/") and "Dupont" not in document.storage_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT original_filename FROM documents_document WHERE id = %s", [document.pk]
        )
        assert b"Dupont" not in bytes(cursor.fetchone()[0])
    loaded = Document.objects.get(pk=document.pk)
    assert loaded.original_filename == "Dossier Dupont.pdf"
    assert (loaded.status, loaded.size, loaded.content_type) == (
        "uploaded",
        len(pdf),
        "application/pdf",
    )
    event = AuditEvent.objects.get(action="documents.document.uploaded", target_id=str(document.pk))
    assert event.actor_user_id == owner.pk
    assert "Dupont" not in str(event.changes)


@pytest.mark.django_db
def test_processing_marks_a_valid_pdf_ready(owner, cleanup_storage):
    pdf = make_pdf(pages=3)
    document = do_upload(owner, pdf, cleanup=cleanup_storage)
    processed = services.process_document(document_id=document.pk)
    assert processed.status == DocumentStatus.READY
    assert processed.page_count == 3
    assert processed.sha256 == hashlib.sha256(pdf).hexdigest()
    # Idempotent: a second run changes nothing and records nothing.
    events = AuditEvent.objects.count()
    assert services.process_document(document_id=document.pk).status == DocumentStatus.READY
    assert AuditEvent.objects.count() == events
    assert AuditEvent.objects.filter(
        action="documents.document.ready",
        target_id=str(document.pk),
        actor_label="task:documents.process",
    ).exists()
    from ordre.notifications.models import InboxMessage

    assert InboxMessage.objects.filter(recipient=owner, template="documents/ready").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "reason_part"),
    [
        (make_pdf(encrypt=True), "mot de passe"),
        (make_pdf()[:300], "incomplet"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n%%EOF\n", "illisible"),
    ],
    ids=["encrypted", "truncated", "malformed"],
)
def test_processing_rejects_bad_pdfs_with_a_french_reason(
    owner, cleanup_storage, content, reason_part
):
    document = do_upload(owner, content, cleanup=cleanup_storage)
    processed = services.process_document(document_id=document.pk)
    assert processed.status == DocumentStatus.REJECTED
    assert reason_part in processed.rejection_reason
    event = AuditEvent.objects.get(action="documents.document.rejected", target_id=str(document.pk))
    assert event.reason == processed.rejection_reason


@pytest.mark.django_db
def test_processing_detects_an_altered_stored_file(owner, cleanup_storage):
    document = do_upload(owner, make_pdf(), cleanup=cleanup_storage)
    data = bytearray(stored_bytes(document))
    data[-5] ^= 0x01
    default_storage.delete(document.storage_name)
    default_storage.save(document.storage_name, __import__("io").BytesIO(bytes(data)))
    processed = services.process_document(document_id=document.pk)
    assert processed.status == DocumentStatus.REJECTED
    assert "altéré" in processed.rejection_reason


@pytest.mark.django_db
def test_png_is_accepted_and_truncated_png_rejected(owner, cleanup_storage):
    good = do_upload(owner, PNG, name="scan.png", cleanup=cleanup_storage)
    bad = do_upload(owner, PNG[:-6], name="scan.png", cleanup=cleanup_storage)
    assert services.process_document(document_id=good.pk).status == DocumentStatus.READY
    assert services.process_document(document_id=bad.pk).status == DocumentStatus.REJECTED


@pytest.mark.django_db
def test_clamav_scan_clean_and_infected(owner, cleanup_storage, fake_clamd):
    clamd = fake_clamd()
    eicar = make_pdf()[:-6] + b"% EICAR-STANDARD-ANTIVIRUS-TEST-FILE\n%%EOF\n"
    with override_settings(CLAMD_URL=clamd.url):
        clean = do_upload(owner, make_pdf(), cleanup=cleanup_storage)
        infected = do_upload(owner, eicar, cleanup=cleanup_storage)
        assert services.process_document(document_id=clean.pk).status == DocumentStatus.READY
        rejected = services.process_document(document_id=infected.pk)
    assert rejected.status == DocumentStatus.REJECTED
    assert "Eicar-Test-Signature" in rejected.rejection_reason
    assert len(clamd.scanned) == 2 and clamd.scanned[0].startswith(b"%PDF-")
    assert clamd.scanned[1].endswith(b"%%EOF\n")  # clamd received the plaintext, fully


@pytest.mark.django_db
def test_clamav_error_leaves_the_document_to_retry(owner, cleanup_storage, fake_clamd):
    clamd = fake_clamd(answer_error=True)
    document = do_upload(owner, make_pdf(), cleanup=cleanup_storage)
    with override_settings(CLAMD_URL=clamd.url), pytest.raises(ClamdError):
        services.process_document(document_id=document.pk)
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.PROCESSING
    with override_settings(CLAMD_URL="tcp://127.0.0.1:1"), pytest.raises(ClamdError):
        services.process_document(document_id=document.pk)


@pytest.mark.django_db
def test_owner_downloads_the_original_bytes(owner, verified_client, cleanup_storage):
    pdf = make_pdf()
    document = do_upload(owner, pdf, name="Attestation été.pdf", cleanup=cleanup_storage)
    services.process_document(document_id=document.pk)
    response = verified_client(owner).get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Attestation%20%C3%A9t%C3%A9.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        action="documents.document.downloaded", target_id=str(document.pk), actor_user_id=owner.pk
    ).exists()


@pytest.mark.django_db
def test_download_by_another_user_is_refused_and_audited(
    owner, make_user, verified_client, cleanup_storage
):
    document = do_upload(owner, make_pdf(), cleanup=cleanup_storage)
    services.process_document(document_id=document.pk)
    intruder = make_user()
    response = verified_client(intruder).get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 403
    assert MARKER not in response.content
    event = AuditEvent.objects.get(
        action="documents.document.download_refused", target_id=str(document.pk)
    )
    assert event.actor_user_id == intruder.pk
    assert not AuditEvent.objects.filter(action="documents.document.downloaded").exists()


@pytest.mark.django_db
def test_access_rule_registry_grants_access(owner, make_user, verified_client, cleanup_storage):
    document = do_upload(owner, make_pdf(), cleanup=cleanup_storage)
    services.process_document(document_id=document.pk)
    clerk = make_user()

    def clerk_rule(user, doc):
        return user.pk == clerk.pk and doc.purpose == "tests.piece"

    register_access_rule(clerk_rule)
    try:
        response = verified_client(clerk).get(reverse("documents:download", args=[document.pk]))
    finally:
        unregister_access_rule(clerk_rule)
    assert response.status_code == 200


@pytest.mark.django_db
def test_anonymous_and_not_ready_downloads(client, owner, verified_client, cleanup_storage):
    document = do_upload(owner, make_pdf(), cleanup=cleanup_storage)
    url = reverse("documents:download", args=[document.pk])
    assert client.get(url).status_code == 302  # to the login page
    assert verified_client(owner).get(url).status_code == 404  # not verified by the task yet
