"""Pages in Danish write dates, times and weeks as Danish writers do, in Copenhagen time in summer and in winter
(docs/danish.md). The expected texts are spelled out here, not computed with the portal's own formats."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from meetings.models import Meeting
from meetings.rotation import services

pytestmark = pytest.mark.django_db

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
MONTHS = [
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
]  # fmt: skip
ENGLISH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b|\b\d{1,2}:\d{2}\b")


@pytest.fixture
def published(cast, rotation):
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    return plan


def _text(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    body = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _seasons(plan):
    meetings = list(Meeting.objects.filter(plan=plan).order_by("starts_at"))
    summer = next(m for m in meetings if m.starts_at.astimezone(COPENHAGEN).utcoffset() == dt.timedelta(hours=2))
    winter = next(m for m in meetings if m.starts_at.astimezone(COPENHAGEN).utcoffset() == dt.timedelta(hours=1))
    return summer, winter


def test_the_public_plan_shows_weeks_danish_dates_and_four_o_clock_summer_and_winter(client, cast, published):
    text = _text(
        client.get(
            reverse("meetings:public-plan", args=[cast.committee.slug, published.year]), HTTP_ACCEPT_LANGUAGE="en"
        )
    )
    for meeting in _seasons(published):
        local = meeting.starts_at.astimezone(COPENHAGEN)
        day = f"{WEEKDAYS[local.weekday()]} den {local.day}. {MONTHS[local.month - 1]} {local.year}"
        assert f"{day} uge {local.isocalendar()[1]} 16.00–19.00" in text
    assert "Uge" in text and not ENGLISH.search(text)


def test_the_rotation_review_shows_the_week_of_each_meeting(client, cast, published):
    client.force_login(cast.administrator)
    text = _text(client.get(reverse("meetings:rotation-year", args=[cast.committee.slug, published.year])))
    summer, winter = _seasons(published)
    for meeting in (summer, winter):
        local = meeting.starts_at.astimezone(COPENHAGEN)
        assert f"uge {local.isocalendar()[1]} {WEEKDAYS[local.weekday()]} {local.day}. " in text
        assert "16.00" in text
    assert not ENGLISH.search(text)


def test_my_calendar_groups_what_is_coming_by_week(client, cast, published):
    client.force_login(cast.member)
    response = client.get(reverse("meetings:calendar-detail"))
    text = _text(response)
    first = Meeting.objects.filter(plan=published).order_by("starts_at").first().starts_at.astimezone(COPENHAGEN)
    monday = first.date() - dt.timedelta(days=first.weekday())
    assert f"Uge {first.isocalendar()[1]} ({monday.day}. " in text
    assert "kl. 16.00–19.00" in text and not ENGLISH.search(text)
