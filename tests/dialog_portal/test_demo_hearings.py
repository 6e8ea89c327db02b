"""seed_demo's hearings step: every state of a matter for each committee, told to nobody, and not twice."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from core.models import OutboxMessage
from dialog_portal.demo.hearings import seed_hearings
from meetings.hearings import selectors
from meetings.models import HearingResponse, Matter, MeetingDate, Presentation
from tests import factories


def _committee_ready_for_hearings(cast):
    second = factories.WorkplaceFactory(slug="skovbrynet", name="Skovbrynets Skole", committees=[cast.committee])
    factories.WorkplaceRoleFactory(user=factories.UserFactory(email="leder2@dalby.example"), workplace=second)
    today = timezone.localdate()
    for days in (-60, 45):
        MeetingDate.objects.create(committee=cast.committee, date=today + dt.timedelta(days=days), start=dt.time(16))


def test_the_demo_has_matters_in_every_state_and_tells_nobody(cast, django_capture_on_commit_callbacks):
    _committee_ready_for_hearings(cast)
    with django_capture_on_commit_callbacks(execute=True):
        seed_hearings()
    matters = list(Matter.objects.filter(committee=cast.committee))
    assert len(matters) == 5
    rows = [selectors.matter_row(m, cast.administrator) for m in selectors.with_hearings(Matter.objects.all())]
    assert sum(1 for r in rows if r.matter.decided_at and r.matter.is_public) == 1
    assert sum(1 for r in rows if r.ready and not r.matter.decided_at) == 2  # no comments; late after the reminder
    assert sum(1 for r in rows if not r.ready) == 2  # open; answered by one of two
    assert HearingResponse.objects.filter(late=True).count() == 1
    assert HearingResponse.objects.filter(no_comments=True).exists()
    assert Presentation.objects.get().status == Presentation.Status.ACCEPTED
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True, handler__startswith="meetings.hearings.")
    seed_hearings()
    assert Matter.objects.filter(committee=cast.committee).count() == 5
