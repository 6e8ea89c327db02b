"""The codex's notices: the outbox calls these after the change that causes them commits. Each loads by id and
calls the service that sends the mail."""

from meetings.models import User

from . import services
from .models import CodexVersion


def sign_requests_send(*, version_id: int) -> int:
    """Ask everyone who must sign a newly published version to sign it."""
    version = CodexVersion.objects.published().filter(pk=version_id).first()
    if version is None:
        return 0
    return services.codex_sign_requests_send(version=version)


def sign_mail_send(*, person_id: int, version_id: int, reminder: bool) -> bool:
    """One request (or reminder) to sign, to one person who is still active."""
    person = User.objects.filter(pk=person_id, is_active=True).first()
    version = CodexVersion.objects.published().filter(pk=version_id).first()
    if person is None or version is None:
        return False
    services.codex_sign_mail_send(person=person, version=version, reminder=reminder)
    return True
