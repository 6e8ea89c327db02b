"""A matter on the cast's committee, heard at the cast's workplace and a second workplace under the committee."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings.hearings import services
from meetings.models import Meeting, MeetingDate, RotationPlan
from meetings.workdays import add_working_days
from tests import factories

PDF = b"%PDF-1.4\n% a tiny test document\n"


def pdf(name="sagsfremstilling.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Heard:
    today: dt.date
    meeting_date: object
    second_workplace: object
    second_leader: object
    employee: object


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def heard(cast) -> Heard:
    today = timezone.localdate()
    meeting_date = MeetingDate.objects.create(
        committee=cast.committee, date=today + dt.timedelta(days=60), start=dt.time(16, 0)
    )
    second = factories.WorkplaceFactory(slug="skovbrynet", name="Skovbrynets Skole", committees=[cast.committee])
    second_leader = factories.UserFactory(email="leder2@dalby.example", full_name="Test leder to")
    factories.WorkplaceRoleFactory(user=second_leader, workplace=second)
    employee = factories.UserFactory(email="medarbejder@dalby.example", full_name="Test medarbejder")
    factories.WorkplaceRoleFactory(user=employee, workplace=cast.workplace, role="employee")
    return Heard(
        today=today, meeting_date=meeting_date, second_workplace=second, second_leader=second_leader, employee=employee
    )


@pytest.fixture
def register(cast, heard):
    """Register a matter as the administrator (or ``actor``); a full hearing period unless told otherwise."""

    def make(**overrides):
        values = {
            "actor": cast.administrator,
            "committee": cast.committee,
            "meeting_date": heard.meeting_date,
            "title": "Ny struktur for dagtilbud",
            "summary": "Forvaltningen foreslår **fælles ledelse**.",
            "case_number": "28.00.00-A00-1-26",
            "workplaces": [cast.workplace, heard.second_workplace],
            "deadline": add_working_days(heard.today, 12),
        }
        values.update(overrides)
        return services.matter_register(**values)

    return make


@pytest.fixture
def matter(register):
    return register()


@pytest.fixture
def hearing(matter, cast):
    return matter.hearings.get(workplace=cast.workplace)


@pytest.fixture
def meeting(cast, heard):
    """The meeting of the matter's day, 16-19 Copenhagen time, in the committee's published plan of that year."""
    plan = RotationPlan.objects.create(
        committee=cast.committee, year=heard.meeting_date.date.year, status=RotationPlan.Status.PUBLISHED
    )
    starts = dt.datetime.combine(heard.meeting_date.date, dt.time(16), tzinfo=ZoneInfo("Europe/Copenhagen"))
    return Meeting.objects.create(
        committee=cast.committee,
        plan=plan,
        host=cast.workplace,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
    )
