"""Emptying the PostgreSQL test database after a transactional test with DELETE instead of TRUNCATE.

pytest-django empties every table after each test that commits (browser journeys against the live server, the tests
on a real Celery worker): Django's flush is one ``TRUNCATE`` of all of the portal's ~100 tables, which gives each
table and index a new file on disk. A test leaves a few dozen rows behind, and deleting them is an order of
magnitude cheaper: on the shared 2-core build machine the TRUNCATE took 3.8–5.0 s and the DELETEs 0.2–0.5 s.

The result is the same: every table empty (the sequences are not reset by either, as Django's flush does not
without ``reset_sequences``). The portal's foreign keys are all ``DEFERRABLE INITIALLY DEFERRED`` (Django's), so
the tables are emptied in any order in the one transaction Django's flush runs in, and checked at its commit; the
portal has no triggers that a DELETE would fire. A flush that resets sequences or cascades to tables outside the
list (``available_apps``) keeps Django's TRUNCATE. Only the test process is changed; ``manage.py flush`` is not.
"""

from django.db.backends.postgresql.operations import DatabaseOperations

_truncate = DatabaseOperations.sql_flush


def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or allow_cascade or not tables:
        return _truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    return [
        "SET CONSTRAINTS ALL DEFERRED;",
        *(f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables),
    ]


def install() -> None:
    DatabaseOperations.sql_flush = sql_flush
