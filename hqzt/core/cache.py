"""The database cache with an atomic `incr`: the embedded default's rate limits and lock-outs.

Django's DatabaseCache increments by reading the value and writing value + delta in two
statements, so ten simultaneous wrong guesses at a tracking number all read 0 and the count ends
at 1, not 10 (outside probe, issue 18). The rate limiter counts with `add` + `incr`
(core/ratelimit.py), the portal's lock-outs too (portal/selectors.py), so one atomic `incr` makes
both exact.
Redis's INCR is atomic already; this is the database cache's equivalent: the row is read and
written inside one transaction that holds it — `SELECT … FOR UPDATE` where the database has row
locks (PostgreSQL), the write lock taken at BEGIN where it does not (SQLite, whose transactions
are IMMEDIATE in settings.py). The entry keeps its expiry, as Redis's INCR keeps the TTL.
"""

import base64
import pickle  # nosec B403 # the cache's own values, written by DatabaseCache itself

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # Only quoted names are formatted into the statements; the key is a parameter.
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "  # noqa: S608 # nosec B608
                f"WHERE {quote('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta  # noqa: S301 # nosec B301
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s "  # noqa: S608 # nosec B608
                f"WHERE {quote('cache_key')} = %s",
                [encoded, key],
            )
        return value

    @staticmethod
    def _expired(connection, expires) -> bool:
        """The stored expiry read back as DatabaseCache reads it (SQLite returns text)."""
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return expires < tz_now()
