"""Model fields for personal phone numbers kept encrypted at rest (SPEC R-9).

Declare the pair on a model, the hash named after the number:

    contact_phone = EncryptedPhoneField("联系电话")
    contact_phone_hash = PhoneHashField(source="contact_phone")

and find rows by number with `phone_match("contact_phone", raw)`. The number reads and writes as
plain text in Python; the column holds only ciphertext. Writes that bypass `save()`
(`QuerySet.update`, `bulk_update`, `save(update_fields=…)` without the hash) must set the hash
themselves, or exact-number search will miss the row.
"""

from typing import Any

from django.core.exceptions import FieldError
from django.db import migrations, models, transaction
from django.db.models import Q
from django.db.models.lookups import Exact

from hqzt.core.crypto import field_decrypt, field_encrypt, phone_hash, phone_hashes

# Fernet ciphertext of a 20-character number is 120 characters; room for a longer input.
CIPHERTEXT_MAX_LENGTH = 255


class EncryptedPhoneField(models.CharField):
    """A phone number stored as Fernet ciphertext (also the recipient of an outbound SMS or
    e-mail, which may be an address: that column is never searched, so it has no hash)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", CIPHERTEXT_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == CIPHERTEXT_MAX_LENGTH:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return field_decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return field_encrypt(value) if value else value

    def get_lookup(self, lookup_name: str) -> Any:
        # Ciphertext is randomised: `filter(phone=…)` would silently match nothing. Searching
        # by number must go through the hash column; only "is there a number" can be asked.
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _EmptyExact
        raise _refused(self, lookup_name)

    def formfield(self, **kwargs: Any) -> Any:
        # Forms take a number as typed, not the ciphertext's length.
        return super().formfield(**{"max_length": 30, **kwargs})


def _refused(field: models.Field, lookup_name: str) -> FieldError:
    return FieldError(
        f"'{field.name}' is encrypted and cannot be compared in the database "
        f"(lookup '{lookup_name}'); use hqzt.core.fields.phone_match()."
    )


class _EmptyExact(Exact):
    """`phone=""` (no number) stays a valid question: the empty string is stored as is."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs not in ("", None):  # None becomes `isnull` once the lookup is built
            raise _refused(lhs.target, "exact")
        super().__init__(lhs, rhs)


class PhoneHashField(models.CharField):
    """The keyed hash of the number in `source`, kept in step on every save."""

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.update(max_length=64, editable=False, blank=True, default="", db_index=True)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs: Any) -> None:
        if name != f"{self.source}_hash":
            raise FieldError(f"The hash of '{self.source}' must be named '{self.source}_hash'")
        super().contribute_to_class(cls, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "editable", "blank", "default", "db_index"):
            kwargs.pop(key, None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = phone_hash(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def phone_match(field: str, raw: str) -> Q:
    """Rows whose `field` holds the number `raw` in any formatting; a blank number matches
    nothing."""
    hashes = phone_hashes(raw)
    if not hashes:
        return Q(pk__in=[])
    return Q(**{f"{field}_hash__in": hashes})


def phone_rows_reencrypt(model: type[models.Model], field: str, *, batch_size: int = 500) -> int:
    """Write every row's number again: ciphertext under the newest key and a fresh hash. Each
    batch is locked and written in its own transaction, so a large table never holds one long
    lock and an edit made meanwhile is not overwritten. Returns the number of rows."""
    manager = model._base_manager
    hash_field = f"{field}_hash"
    hashed = any(f.name == hash_field for f in model._meta.concrete_fields)
    last_pk: Any = None
    done = 0
    while True:
        with transaction.atomic():
            rows = manager.select_for_update().order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.only("pk", field)[:batch_size])
            if not batch:
                return done
            numbered = [row for row in batch if getattr(row, field)]
            if hashed:
                for row in numbered:
                    setattr(row, hash_field, phone_hash(getattr(row, field)))
            manager.bulk_update(numbered, [field, hash_field] if hashed else [field])
        last_pk = batch[-1].pk
        done += len(numbered)


def encrypt_phones_migration(
    app_label: str, model_name: str, field: str, *, batch_size: int = 500, hashed: bool = True
) -> migrations.RunPython:
    """The data step of converting a plain-text phone column: place it after widening the column
    to CIPHERTEXT_MAX_LENGTH and adding `<field>_hash`, before altering it to
    EncryptedPhoneField. The historical model still has a plain CharField, so the ORM reads and
    writes the raw column; reversible (decrypts again). `hashed=False` for a column that is never
    searched (no `<field>_hash`)."""

    def _rows(apps: Any, schema_editor: Any) -> Any:
        model = apps.get_model(app_label, model_name)
        manager = model._base_manager.db_manager(schema_editor.connection.alias)
        last_pk = 0
        while True:
            batch = list(
                manager.filter(pk__gt=last_pk).exclude(**{field: ""}).order_by("pk")[:batch_size]
            )
            if not batch:
                return
            yield manager, batch
            last_pk = batch[-1].pk

    def forward(apps: Any, schema_editor: Any) -> None:
        for manager, batch in _rows(apps, schema_editor):
            for row in batch:
                number = getattr(row, field)
                if hashed:
                    setattr(row, f"{field}_hash", phone_hash(number))
                setattr(row, field, field_encrypt(number))
            manager.bulk_update(batch, [field, f"{field}_hash"] if hashed else [field])

    def backward(apps: Any, schema_editor: Any) -> None:
        for manager, batch in _rows(apps, schema_editor):
            for row in batch:
                setattr(row, field, field_decrypt(getattr(row, field)))
            manager.bulk_update(batch, [field])

    return migrations.RunPython(forward, backward, elidable=False)
