"""Key rotation: re-encrypt every encrypted value under the active key.

Resumable and online: each batch is a short transaction that locks its rows with
`SELECT ... FOR UPDATE SKIP LOCKED`, in primary-key order, and only rows holding a
value whose key id differs from the active one are selected (the key id prefix is
compared in SQL). Rows locked by the application at that moment are skipped and
counted as remaining; run the command again to finish them. Application writes during
a rotation are safe: every save re-encrypts under the active key.

Other kernel apps may register extra rotators (e.g. documents re-encrypting files)
with `register_rotator(name, callable)`; a rotator takes (keyring, batch_size, dry_run)
and returns a `RotationReport`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Func, Q, Value

from ordre.crypto import aead
from ordre.crypto.exceptions import CryptoError
from ordre.crypto.fields import ROW_ID_FIELD, EncryptedField, Sealed
from ordre.crypto.keyring import Keyring, get_keyring


@dataclass
class RotationReport:
    label: str
    rows_rotated: int = 0
    values_rotated: int = 0
    failures: int = 0
    remaining: int = 0


_ROTATORS: dict[str, Callable[..., RotationReport]] = {}


def register_rotator(name: str, rotator: Callable[..., RotationReport]) -> None:
    _ROTATORS[name] = rotator


def registered_rotators() -> dict[str, Callable[..., RotationReport]]:
    return dict(_ROTATORS)


def encrypted_fields(model) -> list[EncryptedField]:
    """The encrypted columns stored in this model's own table."""
    return [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedField)]


def models_with_encrypted_fields() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if not m._meta.proxy and m._meta.managed and encrypted_fields(m)
    ]


def _stale(model, keyring: Keyring):
    """(aliases, Q) selecting rows with at least one value not under the active key."""
    header = aead.header_for(keyring.active_id)
    aliases, condition = {}, Q()
    for field in encrypted_fields(model):
        alias = f"_ordre_kid_{field.attname}"
        aliases[alias] = Func(
            F(field.attname),
            Value(1),
            Value(len(header)),
            function="substr",
            output_field=models.BinaryField(),
        )
        condition |= Q(**{f"{field.attname}__isnull": False}) & ~Q(
            **{alias: Value(header, output_field=models.BinaryField())}
        )
    return aliases, condition


def stale_queryset(model, keyring: Keyring | None = None):
    aliases, condition = _stale(model, keyring or get_keyring())
    return model._base_manager.alias(**aliases).filter(condition)


def rotate_model(
    model, *, batch_size: int = 500, keyring: Keyring | None = None, dry_run: bool = False
) -> RotationReport:
    keyring = keyring or get_keyring()
    fields = encrypted_fields(model)
    report = RotationReport(label=model._meta.label)
    if dry_run:
        report.remaining = stale_queryset(model, keyring).count()
        return report
    columns = ["pk", *(f.attname for f in fields)]
    if any(f.name == ROW_ID_FIELD for f in model._meta.concrete_fields):
        columns.append(ROW_ID_FIELD)
    manager = model._base_manager
    last_pk = None
    while True:
        with transaction.atomic():
            batch = stale_queryset(model, keyring).only(*columns).order_by("pk")
            if last_pk is not None:
                batch = batch.filter(pk__gt=last_pk)
            rows = list(batch.select_for_update(skip_locked=True, of=("self",))[:batch_size])
            for row in rows:
                updates = {}
                for field in fields:
                    sealed = row.__dict__.get(field.attname)
                    if not isinstance(sealed, Sealed):
                        continue
                    try:
                        if sealed.key_id == keyring.active_id:
                            continue
                        plaintext = field.open_sealed(row, sealed)
                    except CryptoError:
                        report.failures += 1
                        continue
                    updates[field.attname] = field.seal(row, plaintext)
                if updates:
                    manager.filter(pk=row.pk).update(**updates)
                    report.rows_rotated += 1
                    report.values_rotated += len(updates)
        if len(rows) < batch_size:
            break
        last_pk = rows[-1].pk
    report.remaining = stale_queryset(model, keyring).count()
    return report
