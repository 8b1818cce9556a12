import datetime as dt

import pytest
from django.core import checks
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps

from ordre.crypto import DecryptionError, EncryptionContextError, blind_index
from ordre.crypto.aead import key_id_of
from ordre.crypto.fields import EncryptedTextField
from ordre.crypto.rotation import rotate_model


def raw(table: str, column: str, pk) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        value = cursor.fetchone()[0]
    return None if value is None else bytes(value)


def write_raw(table: str, column: str, pk, value: bytes) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def test_round_trip_and_raw_column_holds_no_plaintext(note_models):
    Note, _ = note_models
    note = Note.objects.create(
        body="Antécédents : diabète de type 2",
        born_on=dt.date(1970, 5, 17),
        data={"allergies": ["pénicilline"], "weight": 72},
        last_name="Dupont",
    )
    for column, plaintext in (
        ("body", "diabète"),
        ("born_on", "1970-05-17"),
        ("data", "pénicilline"),
        ("last_name", "Dupont"),
    ):
        stored = raw("tests_crypto_note", column, note.pk)
        assert plaintext.encode() not in stored
        assert stored[0] == 1  # format version

    loaded = Note.objects.get(pk=note.pk)
    assert loaded.body == "Antécédents : diabète de type 2"
    assert loaded.born_on == dt.date(1970, 5, 17)
    assert loaded.data == {"allergies": ["pénicilline"], "weight": 72}
    assert loaded.last_name == "Dupont"


def test_null_values_stay_null(note_models):
    Note, _ = note_models
    note = Note.objects.create()
    assert raw("tests_crypto_note", "body", note.pk) is None
    assert Note.objects.get(pk=note.pk).body is None
    assert Note.objects.filter(body__isnull=True).count() == 1


def test_ciphertext_moved_to_another_row_fails(note_models):
    Note, _ = note_models
    a = Note.objects.create(body="secret of A")
    b = Note.objects.create(body="secret of B")
    write_raw("tests_crypto_note", "body", b.pk, raw("tests_crypto_note", "body", a.pk))
    with pytest.raises(DecryptionError):
        Note.objects.get(pk=b.pk).body  # noqa: B018


def test_ciphertext_moved_to_another_column_fails(note_models):
    Note, _ = note_models
    note = Note.objects.create(body="Dupont", last_name="Martin")
    write_raw("tests_crypto_note", "last_name", note.pk, raw("tests_crypto_note", "body", note.pk))
    loaded = Note.objects.get(pk=note.pk)
    assert loaded.body == "Dupont"
    with pytest.raises(DecryptionError):
        loaded.last_name  # noqa: B018


def test_ciphertext_moved_between_uuid_rows_fails(note_models):
    _, UuidNote = note_models
    a = UuidNote.objects.create(body="A")
    b = UuidNote.objects.create(body="B")
    write_raw("tests_crypto_uuidnote", "body", b.pk, raw("tests_crypto_uuidnote", "body", a.pk))
    assert UuidNote.objects.get(pk=a.pk).body == "A"
    with pytest.raises(DecryptionError):
        UuidNote.objects.get(pk=b.pk).body  # noqa: B018


@pytest.mark.parametrize("position", [0, 1, 3, 10, -1, -20])
def test_tampering_is_detected(note_models, position):
    Note, _ = note_models
    note = Note.objects.create(body="montant : 364 €")
    stored = bytearray(raw("tests_crypto_note", "body", note.pk))
    stored[position] ^= 0x01
    write_raw("tests_crypto_note", "body", note.pk, bytes(stored))
    with pytest.raises(DecryptionError):
        Note.objects.get(pk=note.pk).body  # noqa: B018


def test_update_cannot_write_plaintext(note_models):
    Note, _ = note_models
    note = Note.objects.create(body="x")
    with pytest.raises(EncryptionContextError):
        Note.objects.filter(pk=note.pk).update(body="plaintext")


def test_only_isnull_lookups(note_models):
    Note, _ = note_models
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Note.objects.filter(body="x"))


def test_saving_unread_values_and_deferred_loading(note_models):
    Note, _ = note_models
    note = Note.objects.create(body="un", last_name="Durand")
    loaded = Note.objects.only("id").get(pk=note.pk)
    loaded.save()  # deferred fields are not rewritten
    again = Note.objects.get(pk=note.pk)
    again.data = {"a": 1}
    again.save()  # `body` never read: decrypted and re-encrypted with its row id
    final = Note.objects.get(pk=note.pk)
    assert (final.body, final.last_name, final.data) == ("un", "Durand", {"a": 1})


def test_copying_an_instance_to_a_new_row_keeps_values(note_models):
    _, UuidNote = note_models
    original = UuidNote.objects.create(body="copie")
    loaded = UuidNote.objects.get(pk=original.pk)
    loaded.pk = None
    loaded.id = None
    loaded._state.adding = True
    import uuid

    loaded.id = uuid.uuid4()
    loaded.save(force_insert=True)
    assert UuidNote.objects.get(pk=loaded.pk).body == "copie"


def test_blind_index_exact_match_ignores_case_accents_spaces(note_models):
    Note, _ = note_models
    target = Note.objects.create(last_name="Le Guërn-Dupont")
    Note.objects.create(last_name="Dupont")
    Note.objects.create(last_name=None)
    purpose = "tests.note.last_name"
    for variant in ("le guern dupont", "LE  GUERN-DUPONT ", "Le Guërn Dupont"):
        assert list(Note.objects.filter(last_name_index=blind_index(variant, purpose=purpose))) == [
            target
        ]
        assert list(Note.objects.blind_filter(last_name=variant)) == [target]
    assert not Note.objects.blind_filter(last_name="Guern").exists()
    stored = Note.objects.filter(pk=target.pk).values_list("last_name_index", flat=True).get()
    assert len(stored) == 64 and "guern" not in stored
    # Another purpose gives another index value for the same name.
    assert blind_index("Dupont", purpose="other") != blind_index("Dupont", purpose=purpose)


def test_blind_index_follows_updates(note_models):
    Note, _ = note_models
    note = Note.objects.create(last_name="Martin")
    note.last_name = "Bernard"
    note.save()
    assert not Note.objects.blind_filter(last_name="martin").exists()
    assert Note.objects.blind_filter(last_name="BERNARD").get() == note


def test_rotate_model_moves_values_to_the_active_key(note_models, rotated_keys):
    Note, _ = note_models
    notes = [
        Note.objects.create(
            body=f"note {i}", born_on=dt.date(2000, 1, i + 1), data={"i": i}, last_name=None
        )
        for i in range(7)
    ]
    old_kid = key_id_of(raw("tests_crypto_note", "body", notes[0].pk))
    with override_settings(ORDRE_CRYPTO_KEYS=rotated_keys):
        report = rotate_model(Note, batch_size=3)
        assert (report.rows_rotated, report.values_rotated, report.remaining) == (7, 21, 0)
        for i, note in enumerate(notes):
            for column in ("body", "born_on", "data"):
                assert key_id_of(raw("tests_crypto_note", column, note.pk)) == "k-new"
            loaded = Note.objects.get(pk=note.pk)
            assert (loaded.body, loaded.born_on, loaded.data) == (
                f"note {i}",
                dt.date(2000, 1, i + 1),
                {"i": i},
            )
        # Resumable: a second run finds nothing to do.
        assert rotate_model(Note, batch_size=3).rows_rotated == 0
    assert old_kid != "k-new"


def test_rotation_only_touches_rows_under_old_keys(note_models, rotated_keys):
    Note, _ = note_models
    old = Note.objects.create(body="old")
    with override_settings(ORDRE_CRYPTO_KEYS=rotated_keys):
        new = Note.objects.create(body="new")
        before = raw("tests_crypto_note", "body", new.pk)
        report = rotate_model(Note)
        assert report.rows_rotated == 1
        assert raw("tests_crypto_note", "body", new.pk) == before
        assert Note.objects.get(pk=old.pk).body == "old"


def test_missing_row_identity_is_a_system_check_error():
    with isolate_apps("ordre.crypto"):

        class Bad(models.Model):  # noqa: DJ008
            body = EncryptedTextField()

            class Meta:
                app_label = "crypto"

        errors = Bad._meta.get_field("body").check()
    assert [e.id for e in errors if isinstance(e, checks.Error)] == ["ordre_crypto.E001"]


def test_serializers_never_see_plaintext(note_models):
    from django.core import serializers

    Note, _ = note_models
    Note.objects.create(body="confidentiel", data={"diagnostic": "grippe"})
    unsaved = Note(body="pas encore enregistré")
    dumped = serializers.serialize("json", [*Note.objects.all(), unsaved])
    assert "confidentiel" not in dumped and "grippe" not in dumped and "enregistr" not in dumped
