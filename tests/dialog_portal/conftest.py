"""The demo municipality seeded once for a module (``seed_demo`` is the most expensive step of these tests)."""

import os

import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def demo_seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed inside a module-wide transaction, rolled back at the end; tests run in savepoints inside it, so each
    test's own changes (a second seed among them) are rolled back too. The seed runs with the settings every test
    has (tests/conftest.py ``_test_settings``: the fast password hasher the tests log in with, no mail out, files
    under a temporary directory), which a module's fixture comes before."""
    from tests.dialog_portal.test_seed_demo import seed

    saved_password = os.environ.pop("DEMO_PASSWORD", None)
    test_settings = override_settings(
        DIALOG_REQUIRE_MFA=False,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CELERY_TASK_ALWAYS_EAGER=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DIALOG_ANCHOR_DIR=tmp_path_factory.mktemp("anchors"),
    )
    outer = transaction.atomic()
    outer._from_testcase = True  # like a TestCase's class-wide transaction
    with django_db_blocker.unblock(), test_settings:
        outer.__enter__()
        try:
            output = seed()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
        finally:
            if saved_password is not None:
                os.environ["DEMO_PASSWORD"] = saved_password
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
