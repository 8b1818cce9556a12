import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ordre.audit.models import AuditEvent
from ordre.crypto.aead import key_id_of
from ordre.crypto.streams import decrypt_stream, file_key_id
from ordre.documents import services
from ordre.documents.models import Document
from tests.documents.conftest import make_pdf, upload


def raw_filename(document) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT original_filename FROM documents_document WHERE id = %s", [document.pk]
        )
        return bytes(cursor.fetchone()[0])


@pytest.fixture
def documents(owner, cleanup_storage):
    made = []
    for i in range(5):
        content = make_pdf(pages=i + 1)
        document = services.upload_document(
            actor=owner, file=upload(f"pièce {i}.pdf", content), purpose="tests.piece"
        )
        made.append((document, content))
    yield made
    for document in Document.objects.all():
        cleanup_storage.append(document.storage_name)


@pytest.mark.django_db
def test_rotate_keys_moves_fields_and_files_to_the_new_key(
    documents, rotated_keys, django_capture_on_commit_callbacks
):
    old_kid = key_id_of(raw_filename(documents[0][0]))
    old_names = {d.storage_name for d, _ in documents}
    with override_settings(ORDRE_CRYPTO_KEYS=rotated_keys):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("rotate_keys", batch_size=2, stdout=out)
        assert "documents.Document: 5 values in 5 rows re-encrypted, 0 failures, 0 remaining" in (
            out.getvalue()
        )
        # Resumable and idempotent: a second run has nothing left to do.
        again = io.StringIO()
        call_command("rotate_keys", stdout=again)
        assert "documents.Document: 0 values" in again.getvalue()

    assert AuditEvent.objects.filter(
        action="crypto.keys.rotated", actor_label="command:rotate_keys"
    ).exists()
    new_only = rotated_keys.split(",")[0]  # the old key is retired from now on
    with override_settings(ORDRE_CRYPTO_KEYS=new_only):
        for i, (document, content) in enumerate(documents):
            loaded = Document.objects.get(pk=document.pk)
            assert key_id_of(raw_filename(loaded)) == "k-new" != old_kid
            assert loaded.original_filename == f"pièce {i}.pdf"
            assert loaded.key_id == "k-new"
            assert loaded.storage_name not in old_names
            with default_storage.open(loaded.storage_name, "rb") as stored:
                assert file_key_id(stored) == "k-new"
                stored.seek(0)
                assert b"".join(decrypt_stream(stored, context=loaded.file_context)) == content
    # The old files were deleted after commit.
    assert not any(default_storage.exists(name) for name in old_names)


@pytest.mark.django_db
def test_rotate_keys_dry_run_counts_without_writing(documents, rotated_keys):
    before = {d.pk: raw_filename(d) for d, _ in documents}
    with override_settings(ORDRE_CRYPTO_KEYS=rotated_keys):
        out = io.StringIO()
        call_command("rotate_keys", "--dry-run", stdout=out)
    assert "documents.Document: 0 values in 0 rows re-encrypted, 0 failures, 5 remaining" in (
        out.getvalue()
    )
    assert {d.pk: raw_filename(d) for d, _ in documents} == before


@pytest.mark.django_db(transaction=True)
def test_rotation_skips_rows_locked_by_the_application_then_resumes(rotated_keys):
    """Online rotation: a row held by a running transaction is skipped, not waited for,
    and reported as remaining; the next run finishes it."""
    import threading
    import uuid

    from django.contrib.auth import get_user_model
    from django.db import connections, transaction

    from ordre.crypto.rotation import rotate_model

    owner = get_user_model().objects.create_user(username="lock-owner", password=None)
    docs = [
        Document.objects.create(
            owner=owner,
            purpose="tests.lock",
            original_filename=f"verrou {i}.pdf",
            content_type="application/pdf",
            size=1,
            storage_name=f"documents/tests/{uuid.uuid4().hex}.enc",
            key_id="unused",
        )
        for i in range(3)
    ]
    locked, release = threading.Event(), threading.Event()

    def hold_row():
        try:
            with transaction.atomic():
                Document.objects.select_for_update().get(pk=docs[1].pk)
                locked.set()
                release.wait(20)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_row)
    holder.start()
    try:
        assert locked.wait(20)
        with override_settings(ORDRE_CRYPTO_KEYS=rotated_keys):
            first = rotate_model(Document, batch_size=2)
    finally:
        release.set()
        holder.join()
    assert (first.rows_rotated, first.remaining) == (2, 1)
    with override_settings(ORDRE_CRYPTO_KEYS=rotated_keys):
        second = rotate_model(Document, batch_size=2)
        assert (second.rows_rotated, second.remaining) == (1, 0)
        names = [Document.objects.get(pk=d.pk).original_filename for d in docs]
    assert names == ["verrou 0.pdf", "verrou 1.pdf", "verrou 2.pdf"]
