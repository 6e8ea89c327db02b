"""Borrowed venues and hosting wishes through the database (issue 20): the draft, a hand swap, publishing, the
pages, the calendar and the --json interface."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from meetings.models import HostingWish, Meeting, MeetingDate, Venue
from meetings.rotation import services
from meetings.rotation.ical import meeting_event
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(cast, rotation):
    """The cast's workplace seats 4 (the committee of 3 plus 2 from the secretariat need 5); a hall in its district
    has room. Two dates, so the small workplace (never hosted) gets one."""
    cast.workplace.seats = 4
    cast.workplace.save()
    for workplace in rotation.workplaces[2:]:
        workplace.is_active = False
        workplace.save()
    for month in (3, 5):
        MeetingDate.objects.create(committee=cast.committee, date=dt.date(rotation.year, month, 10), start=dt.time(16))
    hall = Venue.objects.create(
        slug="dalby-medborgerhus",
        name="Dalby Medborgerhus",
        address="Torvet 1, 4000 Dalby",
        district=cast.workplace.district,
        seats=40,
        step_free=True,
    )
    return hall


def draft(cast, rotation):
    return services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)


def test_a_small_workplace_hosts_in_the_venue_and_publishing_uses_its_address(cast, rotation, small):
    plan = draft(cast, rotation)
    row = plan.meetings.get(host=cast.workplace)
    assert row.venue == small and row.venue_workplace is None
    assert "in the rooms of Dalby Medborgerhus in the same district" in row.why
    assert plan.cannot_host == []
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    meeting = Meeting.objects.get(host=cast.workplace)
    assert (meeting.venue, meeting.address) == (small, "Torvet 1, 4000 Dalby")


def test_the_calendar_names_the_venue(cast, rotation, small):
    services.rotation_plan_publish(plan=draft(cast, rotation), actor=cast.administrator)
    meeting = Meeting.objects.select_related("committee", "host", "venue").get(host=cast.workplace)
    event = meeting_event(meeting)
    assert event.location == "Dalby Medborgerhus, Torvet 1, 4000 Dalby"
    assert "Børnehuset Solsikken hosts in Dalby Medborgerhus." in event.description


def test_the_public_plan_and_the_meeting_page_show_the_venue(cast, rotation, small, client, client_for):
    services.rotation_plan_publish(plan=draft(cast, rotation), actor=cast.administrator)
    page = client.get(reverse("meetings:public-plan", args=[cast.committee.slug, rotation.year]))
    assert "Børnehuset Solsikken er vært i Dalby Medborgerhus" in page.content.decode()
    assert "Torvet 1, 4000 Dalby" in page.content.decode()
    meeting = Meeting.objects.get(host=cast.workplace)
    page = client_for(cast.leader).get(meeting.get_absolute_url())
    assert "Børnehuset Solsikken er vært i Dalby Medborgerhus, Torvet 1, 4000 Dalby" in page.content.decode()


def test_without_a_venue_the_small_workplace_is_listed_with_its_reason(cast, rotation, small, client_for):
    small.is_active = False
    small.save()
    plan = draft(cast, rotation)
    assert not plan.meetings.filter(host=cast.workplace).exists()
    assert plan.cannot_host == [
        {
            "workplace": "solsikken",
            "reason": "Cannot host this year: 4 seats, 5 needed (committee plus secretariat), and no borrowed venue "
            "with room nearby or in its district.",
        }
    ]
    page = client_for(cast.administrator).get(reverse("meetings:rotation-year", args=[cast.committee.slug, plan.year]))
    assert page.status_code == 200
    assert "Børnehuset Solsikken</strong>: Cannot host this year: 4 seats" in page.content.decode()


def test_a_workplace_that_lends_its_room_is_used_before_a_farther_venue(cast, rotation, small):
    lender = rotation.workplaces[1]
    lender.lends_room, lender.step_free = True, True
    lender.latitude, lender.longitude = 55.60, 12.50
    lender.save()
    cast.workplace.latitude, cast.workplace.longitude = 55.601, 12.50
    cast.workplace.save()
    small.latitude, small.longitude = 55.70, 12.50
    small.save()
    plan = draft(cast, rotation)
    row = plan.meetings.get(host=cast.workplace)
    assert (row.venue, row.venue_workplace) == (None, lender)


def test_a_hand_swap_to_the_small_workplace_gives_it_the_venue(cast, rotation, small):
    plan = draft(cast, rotation)
    other = plan.meetings.exclude(host=cast.workplace).get()
    row = services.rotation_host_swap(planned=other, host=cast.workplace, actor=cast.administrator, reason="Ønske")
    assert row.host == cast.workplace and row.venue == small


def test_plan_rotation_json_names_the_venue_cannot_host_and_unmet_wishes(cast, rotation, small, tmp_path):
    leftover = factories.WorkplaceFactory(slug="lille", name="Lille", seats=2, committees=[cast.committee])
    leftover.district = factories.DistrictFactory(name="Langt væk")
    leftover.save()
    HostingWish.objects.create(workplace=cast.workplace, month=5, wish=HostingWish.Wish.AVOID)
    HostingWish.objects.create(workplace=cast.workplace, month=3, wish=HostingWish.Wish.AVOID)
    out = tmp_path / "plan.json"
    call_command("plan_rotation", "--committee", cast.committee.slug, "--year", str(rotation.year), "--json", str(out))
    data = json.loads(out.read_text())
    by_host = {m["host"]: m for m in data["meetings"]}
    assert by_host["solsikken"]["venue"] == "dalby-medborgerhus"
    assert all(m["venue"] is None for h, m in by_host.items() if h != "solsikken")
    assert [c["workplace"] for c in data["cannot_host"]] == ["lille"]
    assert data["cannot_host"][0]["reason"].startswith("Cannot host this year: 2 seats")
    [wish] = data["wishes_unmet"]
    assert (wish["workplace"], wish["wish"]) == ("solsikken", "avoid")


# --- Wishes ---------------------------------------------------------------------------------------------------------


def test_the_leader_states_wishes_on_a_page_and_they_replace_the_old_ones(cast, client_for):
    from core.models import AuditEntry

    client = client_for(cast.leader)
    page = client.get(cast.workplace.get_absolute_url())
    assert 'data-testid="wishes-panel"' in page.content.decode()
    url = reverse("meetings:workplace-wishes", args=[cast.workplace.slug])
    response = client.post(url, {"prefer": ["5", "6"], "avoid": ["7"]})
    assert response.status_code == 302
    assert sorted(cast.workplace.hosting_wishes.values_list("month", "wish")) == [
        (5, "prefer"),
        (6, "prefer"),
        (7, "avoid"),
    ]
    client.post(url, {"avoid": ["12"]})
    assert list(cast.workplace.hosting_wishes.values_list("month", "wish")) == [(12, "avoid")]
    assert AuditEntry.objects.filter(action="rotation.wishes_saved").count() == 2


def test_a_month_both_wished_and_avoided_is_refused_and_the_form_keeps_what_was_typed(cast, client_for):
    url = reverse("meetings:workplace-wishes", args=[cast.workplace.slug])
    page = client_for(cast.leader).post(url, {"prefer": ["5"], "avoid": ["5", "7"]})
    assert page.status_code == 200
    assert "En måned kan ikke både være ønsket og fravalgt: maj." in page.content.decode()
    assert page.context["form"]["avoid"].value() == ["5", "7"]
    assert not HostingWish.objects.exists()


def test_someone_else_may_not_state_a_workplaces_wishes(cast, client_for):
    url = reverse("meetings:workplace-wishes", args=[cast.workplace.slug])
    assert client_for(cast.other_leader).post(url, {"prefer": ["5"]}).status_code == 403
    with pytest.raises(services.RotationError):
        services.hosting_wishes_save(workplace=cast.workplace, actor=cast.member, prefer=[5], avoid=[])
    assert not HostingWish.objects.exists()
    assert (
        'data-testid="wishes-panel"'
        not in client_for(cast.member).get(cast.workplace.get_absolute_url()).content.decode()
    )


def test_the_published_plan_mail_names_the_venue(cast, rotation, small, mailoutbox, django_capture_on_commit_callbacks):
    plan = draft(cast, rotation)
    with django_capture_on_commit_callbacks(execute=True):
        services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    to_leader = [m for m in mailoutbox if m.to == [cast.leader.email]]
    assert to_leader
    assert "You host in a borrowed venue, Dalby Medborgerhus, Torvet 1, 4000 Dalby" in to_leader[0].body
    members = [m for m in mailoutbox if m.to == [cast.member.email]]
    assert "Børnehuset Solsikken hosts in Dalby Medborgerhus, Torvet 1, 4000 Dalby" in members[0].body
