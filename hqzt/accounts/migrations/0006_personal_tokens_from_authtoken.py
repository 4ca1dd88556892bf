"""Staff API tokens move from DRF's authtoken table (raw keys) to PersonalToken (hashes only,
ADR 0012): every existing key is stored as its hash, so clients keep working with the token they
have; then the raw keys are dropped with authtoken's table, and authtoken's rows in the migration
history go too, so that the history matches the apps installed (an older release migrated again
would create an empty table). Nothing here imports rest_framework.authtoken: the app is no longer
installed. On a fresh database there is no such table and this does nothing."""

import datetime
import hashlib

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

LEGACY_TABLE = "authtoken_token"


def _hash(raw: str) -> str:
    # core.crypto.token_hash, frozen here as a migration must not change with the code it ran for.
    return hashlib.sha256(raw.encode()).hexdigest()


def _aware(value) -> datetime.datetime:
    """The row's `created` as an aware datetime (SQLite hands back text in UTC)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def personal_tokens_from_authtoken(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    quote = connection.ops.quote_name
    PersonalToken = apps.get_model("accounts", "PersonalToken")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('key')}, {quote('user_id')}, {quote('created')} "  # noqa: S608 # nosec B608 # quoted names only
            f"FROM {quote(LEGACY_TABLE)}"
        )
        rows = cursor.fetchall()
        PersonalToken.objects.bulk_create(
            PersonalToken(user_id=user_id, key_hash=_hash(key), created=_aware(created))
            for key, user_id, created in rows
        )
        cursor.execute(f"DROP TABLE {quote(LEGACY_TABLE)}")
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_personal_token")]

    # Backwards: the raw keys cannot be recovered from their hashes; going back leaves users to
    # fetch new tokens (0005 backwards drops PersonalToken).
    operations = [migrations.RunPython(personal_tokens_from_authtoken, migrations.RunPython.noop)]
