"""Django's database cache with a counter that holds across processes.

Django's generic incr is a get and then a set: two processes counting the same failed login
at once both write n + 1 (one count lost), and the set starts the entry over with the
default timeout instead of the window the counter began (security/counters.py). Here the
increment locks the row first and writes only the value, so the expiry stays as `add` set it.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends import db
from django.db import connections, router, transaction


class DatabaseCache(db.DatabaseCache):
    def incr(self, key, delta=1, version=None):
        cache_key = self.make_and_validate_key(key, version=version)
        using = router.db_for_write(self.cache_model_class)
        connection = connections[using]
        quote = connection.ops.quote_name
        table, key_column = quote(self._table), quote("cache_key")
        with transaction.atomic(using=using), connection.cursor() as cursor:
            # A write first takes the lock (PostgreSQL: this row; SQLite: the database), so
            # a second process's incr waits here and then reads the count this one wrote.
            cursor.execute(
                f"UPDATE {table} SET {quote('expires')} = {quote('expires')} "  # noqa: S608
                f"WHERE {key_column} = %s",
                [cache_key],
            )
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {key_column} = %s",  # noqa: S608
                [encoded, cache_key],
            )
        return value
