"""The login backends, reading the signed-in person from the cache on every request (issue 19).

Django's ``ModelBackend`` and allauth's backend load the person's row with a query on every request; these read it
through ``person_cached`` (versioned, replaced by every save or delete of the person), and judge it exactly as
before: an inactive person is nobody, and Django still compares the session's hash with the (cached) password's.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from .models import person_cached


class _CachedPerson:
    def get_user(self, user_id):
        user = person_cached(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class CachedModelBackend(_CachedPerson, ModelBackend):
    """Django's ``ModelBackend``, the person read from the cache."""


class CachedAllauthBackend(_CachedPerson, AuthenticationBackend):
    """allauth's backend (login by e-mail), the person read from the cache."""
