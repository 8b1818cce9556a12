"""Model fields that encrypt their value with AES-256-GCM, bound to their place.

A value is encrypted in `pre_save` (so only `Model.save()` and `bulk_create()` can
write it: they know the row) and decrypted lazily, the first time the attribute is
read on its instance. The associated data is "app_label.model.field:<row id>", where
the row id is the model's `crypto_id` field when it has one (see
`EncryptedRowMixin`), else its primary key, which must then be assigned in Python
before the INSERT (a UUID primary key with a default). A system check enforces it.

Only the `isnull` lookup is allowed on encrypted columns; exact-match searches go
through a `BlindIndexField`.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import uuid

from django import forms
from django.core import checks
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init
from django.utils.translation import gettext_lazy as _

from ordre.crypto import aead
from ordre.crypto.blind import blind_index, normalize_text
from ordre.crypto.exceptions import EncryptionContextError

ROW_ID_FIELD = "crypto_id"


class Sealed(bytes):
    """A stored ciphertext, not yet decrypted. `row` is the row id it was loaded with."""

    row: str | None = None

    @property
    def key_id(self) -> str:
        return aead.key_id_of(self)


@functools.cache
def _has_row_id_field(model) -> bool:
    return any(f.name == ROW_ID_FIELD for f in model._meta.concrete_fields)


def row_identity(instance) -> str:
    """The immutable identity of a row used in the associated data."""
    meta = instance._meta
    has_row_id = _has_row_id_field(type(instance))
    value = getattr(instance, ROW_ID_FIELD) if has_row_id else instance.pk
    if value is None or value == "":
        raise EncryptionContextError(
            f"{meta.label} has no row identity before save: give it a `crypto_id` field "
            "(EncryptedRowMixin) or a primary key assigned in Python (UUID with a default)"
        )
    return str(value)


class EncryptedRowMixin(models.Model):
    """An immutable per-row identity for models whose primary key is assigned by the
    database (BigAutoField): it is generated in Python, before the first INSERT."""

    crypto_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class EncryptedDescriptor(DeferredAttribute):
    """Decrypt on first read, cache the plaintext on the instance."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.open_sealed(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.Field):
    """Base class: subclasses define `encode` (python -> bytes) and `decode`."""

    descriptor_class = EncryptedDescriptor
    empty_strings_allowed = False

    def __init__(self, *args, **kwargs):
        for forbidden in ("primary_key", "unique", "db_index"):
            if kwargs.get(forbidden):
                raise TypeError(f"an encrypted field cannot be {forbidden}; use a BlindIndexField")
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "BinaryField"

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            post_init.connect(self._remember_row, sender=cls, weak=False)

    def _remember_row(self, sender, instance, **kwargs):
        value = instance.__dict__.get(self.attname)
        if isinstance(value, Sealed) and value.row is None:
            try:
                value.row = row_identity(instance)
            except EncryptionContextError:
                value.row = None

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        meta = self.model._meta
        if not meta.abstract:
            has_row_id = any(f.name == ROW_ID_FIELD for f in meta.concrete_fields)
            pk_in_python = meta.pk is not None and meta.pk.has_default()
            if not (has_row_id or pk_in_python):
                errors.append(
                    checks.Error(
                        f"{meta.label} has encrypted fields but no row identity known before save.",
                        hint="Add EncryptedRowMixin (a crypto_id UUID) or a UUID primary key with a default.",
                        obj=self,
                        id="ordre_crypto.E001",
                    )
                )
        return errors

    # Place binding.
    def context_for(self, row: str) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.{meta.model_name}.{self.name}:{row}"

    def seal(self, instance, value) -> Sealed | None:
        if value is None:
            return None
        token = aead.encrypt(self.encode(value), context=self.context_for(row_identity(instance)))
        return Sealed(token)

    def open_sealed(self, instance, sealed: Sealed):
        row = sealed.row or row_identity(instance)
        return self.decode(aead.decrypt(sealed, context=self.context_for(row)))

    # Django plumbing.
    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return Sealed(bytes(value))

    def pre_save(self, model_instance, add):
        plaintext = getattr(model_instance, self.attname)
        return self.seal(model_instance, self.to_python(plaintext))

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        if isinstance(value, Sealed):
            return connection.Database.Binary(bytes(value))
        raise EncryptionContextError(
            f"{self.model._meta.label}.{self.name} is written only through Model.save() or "
            "bulk_create(): QuerySet.update() and bulk_update() cannot bind it to its row"
        )

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name):
        return None

    def value_to_string(self, obj):
        """Serializers (dumpdata) get the base64 ciphertext, never the plaintext.

        Such dumps cannot be loaded back (`loaddata` saves raw values, which cannot be
        bound to their row): encrypted data moves through the ORM or database backups.
        """
        stored = obj.__dict__.get(self.attname)
        if not isinstance(stored, Sealed):
            stored = self.seal(obj, self.to_python(self.value_from_object(obj)))
        return None if stored is None else base64.b64encode(stored).decode("ascii")

    def encode(self, value) -> bytes:  # pragma: no cover - abstract
        raise NotImplementedError

    def decode(self, data: bytes):  # pragma: no cover - abstract
        raise NotImplementedError


class EncryptedTextField(EncryptedField):
    description = _("Texte chiffré")

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def encode(self, value) -> bytes:
        return value.encode("utf-8")

    def decode(self, data: bytes) -> str:
        return data.decode("utf-8")

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.CharField, **kwargs})


class EncryptedDateField(EncryptedField):
    description = _("Date chiffrée")

    def to_python(self, value):
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        if isinstance(value, dt.datetime):
            return value.date()
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Date invalide."), code="invalid") from None

    def encode(self, value) -> bytes:
        return value.isoformat().encode("ascii")

    def decode(self, data: bytes) -> dt.date:
        return dt.date.fromisoformat(data.decode("ascii"))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.DateField, **kwargs})


class EncryptedJSONField(EncryptedField):
    """Any JSON-serialisable value; None is stored as SQL NULL."""

    description = _("Données JSON chiffrées")

    def to_python(self, value):
        return value

    def encode(self, value) -> bytes:
        return json.dumps(
            value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")

    def decode(self, data: bytes):
        return json.loads(data)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


class BlindIndexField(models.CharField):
    """HMAC-SHA256 (hex) of the normalised value of `source`, computed on save.

        last_name = EncryptedTextField()
        last_name_index = BlindIndexField(source="last_name", purpose="tableau.doctor.last_name")

        Doctor.objects.filter(last_name_index=blind_index("Dupont", purpose="tableau.doctor.last_name"))
        Doctor.objects.blind_filter(last_name="Dupont")   # with BlindIndexQuerySet

    `purpose` is part of the HMAC input: keep it stable once data exist.
    """

    def __init__(self, *args, source: str, purpose: str, normalizer=normalize_text, **kwargs):
        self.source = source
        self.purpose = purpose
        self.normalizer = normalizer
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        if self.normalizer is not normalize_text:
            kwargs["normalizer"] = self.normalizer
        for key, default in (("max_length", 64), ("db_index", True), ("editable", False)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        kwargs.pop("blank", None)
        kwargs.pop("default", None)
        return name, path, args, kwargs

    def lookup_value(self, value) -> str:
        return blind_index(value, purpose=self.purpose, normalizer=self.normalizer)

    def pre_save(self, model_instance, add):
        value = self.lookup_value(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def blind_lookup(model, **values) -> dict[str, str]:
    """Filter kwargs for exact-match lookups: `blind_lookup(Doctor, last_name="Dupont")`
    -> {"last_name_index": "<hmac>"}. A kwarg names a source field or an index field."""
    index_fields = [f for f in model._meta.get_fields() if isinstance(f, BlindIndexField)]
    lookups = {}
    for name, value in values.items():
        field = next((f for f in index_fields if name in (f.name, f.source)), None)
        if field is None:
            raise ValueError(f"{model._meta.label} has no blind index for {name!r}")
        lookups[field.name] = field.lookup_value(value)
    return lookups


class BlindIndexQuerySet(models.QuerySet):
    def blind_filter(self, **values):
        return self.filter(**blind_lookup(self.model, **values))
