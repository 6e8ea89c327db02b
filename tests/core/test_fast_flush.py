"""The test database is emptied after a transactional test, related rows too, and nothing of it is left behind
(tests/fast_flush.py: DELETE instead of TRUNCATE on PostgreSQL)."""

import pytest
from django.core.management import call_command
from django.core.management.color import no_style

from meetings.models import CommitteeMembership, User, Workplace
from tests import fast_flush


def test_the_flush_deletes_from_every_table_and_keeps_truncate_for_resets_and_cascades():
    from django.db.backends.postgresql.operations import DatabaseOperations

    ops = DatabaseOperations(connection=None)
    assert ops.sql_flush(no_style(), ["a", "b"]) == [
        "SET CONSTRAINTS ALL DEFERRED;",
        'DELETE FROM "a";',
        'DELETE FROM "b";',
    ]
    assert ops.sql_flush(no_style(), ["a"], reset_sequences=True) == ['TRUNCATE "a" RESTART IDENTITY;']
    assert ops.sql_flush(no_style(), ["a"], allow_cascade=True) == ['TRUNCATE "a" CASCADE;']
    assert ops.sql_flush(no_style(), []) == []
    assert DatabaseOperations.sql_flush is fast_flush.sql_flush


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_tables_whose_rows_point_at_each_other(cast):
    assert CommitteeMembership.objects.exists() and Workplace.objects.filter(committees=cast.committee).exists()
    call_command("flush", interactive=False, verbosity=0)  # what pytest-django does after this test
    assert not User.objects.exists()
    assert not CommitteeMembership.objects.exists()
    assert not Workplace.objects.exists()
    assert not Workplace.committees.through.objects.exists()
