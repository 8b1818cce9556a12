import base64
import os
import uuid

import pytest
from django.conf import settings
from django.db import connection, models
from django.test.utils import isolate_apps

from ordre.crypto import (
    BlindIndexField,
    BlindIndexQuerySet,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedRowMixin,
    EncryptedTextField,
)


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def rotated_keys():
    """ORDRE_CRYPTO_KEYS with a fresh active key "k-new" before the current ones."""
    return f"k-new:{new_key()},{settings.ORDRE_CRYPTO_KEYS}"


@pytest.fixture
def note_models(db):
    """Two throwaway models in an isolated registry, with their tables created in the
    test transaction (rolled back with it)."""
    with isolate_apps("ordre.crypto"):

        class Note(EncryptedRowMixin, models.Model):  # noqa: DJ008
            body = EncryptedTextField(null=True, blank=True)
            born_on = EncryptedDateField(null=True)
            data = EncryptedJSONField(null=True)
            last_name = EncryptedTextField(null=True)
            last_name_index = BlindIndexField(source="last_name", purpose="tests.note.last_name")

            objects = BlindIndexQuerySet.as_manager()

            class Meta:
                app_label = "crypto"
                db_table = "tests_crypto_note"

        class UuidNote(models.Model):  # noqa: DJ008
            id = models.UUIDField(primary_key=True, default=uuid.uuid4)
            body = EncryptedTextField()

            class Meta:
                app_label = "crypto"
                db_table = "tests_crypto_uuidnote"

        with connection.schema_editor() as editor:
            editor.create_model(Note)
            editor.create_model(UuidNote)
        yield Note, UuidNote


@pytest.fixture
def owner(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="crypto-owner", password=None)


@pytest.fixture
def cleanup_storage():
    from django.core.files.storage import default_storage

    names: list[str] = []
    yield names
    for name in names:
        default_storage.delete(name)
