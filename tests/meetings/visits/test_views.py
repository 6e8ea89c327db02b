"""Visit pages per role: anonymous, outsider, member, leader, administrator; query counts."""

import datetime as dt

import pytest
from django.contrib import messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from meetings.feeds import feeds_version_bump
from meetings.models import Visit, VisitOffer, WorkplaceTie
from meetings.visits import services
from tests import factories

from .conftest import book, confirm_held

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login_everywhere(client, cast, slot):
    visit = book(slot, cast.member)
    for url in (
        reverse("meetings:visit-finder"),
        reverse("meetings:visit-slot-list", args=[cast.workplace.slug]),
        reverse("meetings:visit-create", args=[slot.pk]),
        reverse("meetings:visit-detail", args=[visit.pk]),
        reverse("meetings:visit-confirm", args=[visit.pk]),
        reverse("meetings:visit-offer-list", args=[cast.workplace.slug]),
        reverse("meetings:calendar-detail"),
        reverse("meetings:visit-export"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login"))


def test_a_member_books_through_the_page_and_sees_the_visit(client_for, cast, slot):
    client = client_for(cast.member)
    page = client.get(reverse("meetings:visit-create", args=[slot.pk]))
    assert page.status_code == 200
    assert 'data-testid="visit-framework"' in page.content.decode()
    response = client.post(
        reverse("meetings:visit-create", args=[slot.pk]), {"purpose": "Se sprogarbejdet", "colleague": cast.chair.pk}
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response.url == visit.get_absolute_url()
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert visit.participants.count() == 2


def test_a_refused_booking_keeps_what_was_typed_and_shows_the_reason(client_for, cast):
    full = factories.VisitSlotFactory(workplace=cast.workplace, capacity=1)
    book(full, cast.chair)
    response = client_for(cast.member).post(reverse("meetings:visit-create", args=[full.pk]), {"purpose": "Mit formål"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mit formål" in content
    assert "fully booked" in content or "fuldt booket" in content


def test_the_colleague_choices_are_politicians_of_the_responsible_committee(client_for, cast, slot):
    form = client_for(cast.member).get(reverse("meetings:visit-create", args=[slot.pk])).context["form"]
    choices = set(form.fields["colleague"].queryset)
    assert choices == {cast.chair, cast.vice_chair}


def test_a_declared_tie_is_shown_and_must_be_ticked(client_for, cast, slot):
    services.workplace_tie_declare(person=cast.member, workplace=cast.workplace, kind=WorkplaceTie.Kind.BOARD)
    client = client_for(cast.member)
    assert 'data-testid="declared-tie"' in client.get(reverse("meetings:visit-create", args=[slot.pk])).content.decode()
    response = client.post(reverse("meetings:visit-create", args=[slot.pk]), {"purpose": "Se"})
    assert response.status_code == 200
    assert not Visit.objects.exists()
    client.post(reverse("meetings:visit-create", args=[slot.pk]), {"purpose": "Se", "tie_seen": "on"})
    assert Visit.objects.get().tie_seen


def test_the_codex_gate_stops_an_unsigned_politician_from_booking(
    client_for, cast, slot, django_capture_on_commit_callbacks
):
    from tests.codex.conftest import publish, sign, write_draft

    with django_capture_on_commit_callbacks(execute=False):
        version = publish(cast.administrator, write_draft(cast.administrator))
    client = client_for(cast.member)
    response = client.post(reverse("meetings:visit-create", args=[slot.pk]), {"purpose": "Se"})
    assert response.status_code == 403
    assert not Visit.objects.exists()
    sign(cast.member, version)
    client.post(reverse("meetings:visit-create", args=[slot.pk]), {"purpose": "Se"})
    assert Visit.objects.count() == 1


@pytest.mark.parametrize("role", ["outsider", "other_member", "chair", "other_leader", "trio"])
def test_people_outside_a_visit_get_404(client_for, cast, slot, role):
    visit = book(slot, cast.member)
    client = client_for(getattr(cast, role))
    for name in ("visit-detail", "visit-cancel", "visit-move", "visit-confirm", "visit-decline", "visit-ics"):
        assert client.get(reverse(f"meetings:{name}", args=[visit.pk])).status_code == 404, name


def test_the_leader_confirms_by_get_then_post(client_for, cast, slot):
    visit = book(slot, cast.member)
    client = client_for(cast.leader)
    url = reverse("meetings:visit-confirm", args=[visit.pk])
    assert client.get(url).status_code == 200
    visit.refresh_from_db()
    assert visit.status == Visit.Status.REQUESTED
    assert client.post(url).status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CONFIRMED


def test_a_participant_cannot_confirm_their_own_visit(client_for, cast, slot):
    visit = book(slot, cast.member)
    assert client_for(cast.member).post(reverse("meetings:visit-confirm", args=[visit.pk])).status_code == 404
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.REQUESTED


def test_the_leader_declines_with_a_reason_and_a_missing_reason_is_kept_on_the_form(client_for, cast, slot):
    visit = book(slot, cast.member)
    client = client_for(cast.leader)
    url = reverse("meetings:visit-decline", args=[visit.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    with translation.override("da"):
        assert refused.context["form"].errors["reason"] == [_("Give a reason, so the politicians understand.")]
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.REQUESTED
    assert client.post(url, {"reason": "Lukket for besøg"}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DECLINED


def test_a_refused_step_without_a_form_is_a_message_on_the_visits_page(client_for, cast, slot):
    visit = services.visit_confirm(visit=book(slot, cast.member), actor=cast.leader)
    response = client_for(cast.leader).post(reverse("meetings:visit-confirm", args=[visit.pk]), follow=True)
    assert response.redirect_chain == [(visit.get_absolute_url(), 302)]
    with translation.override("da"):
        expected = _("Only a visit awaiting confirmation can be confirmed.")
    assert [(m.level, m.message) for m in response.context["messages"]] == [(messages.ERROR, expected)]


def test_a_refused_step_with_a_form_shows_the_reason_on_the_form_and_keeps_what_was_typed(client_for, cast, slot):
    visit = services.visit_confirm(visit=book(slot, cast.member), actor=cast.leader)
    response = client_for(cast.leader).post(
        reverse("meetings:visit-decline", args=[visit.pk]), {"reason": "Vi har lukket den dag"}
    )
    assert response.status_code == 200
    with translation.override("da"):
        expected = _("Only a visit awaiting confirmation can be declined.")
    assert response.context["form"].non_field_errors() == [expected]
    assert not list(response.context["messages"])
    page = response.content.decode()
    assert "Vi har lukket den dag" in page and expected in page
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.CONFIRMED


def test_a_participant_moves_and_cancels_through_the_pages(client_for, cast, slot):
    visit = book(slot, cast.member)
    later = factories.VisitSlotFactory(
        workplace=cast.workplace, starts_at=factories.working_days_after(slot.starts_at, 2)
    )
    client = client_for(cast.member)
    assert client.get(reverse("meetings:visit-move", args=[visit.pk])).status_code == 200
    client.post(reverse("meetings:visit-move", args=[visit.pk]), {"slot": later.pk})
    visit.refresh_from_db()
    assert visit.slot == later
    client.post(reverse("meetings:visit-cancel", args=[visit.pk]), {"reason": ""})
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED


def test_a_leader_manages_only_their_own_workplaces_offers(client_for, cast):
    start = factories.next_weekday_at(9)
    data = {
        "kind": "single",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "slot_minutes": 60,
        "min_politicians": 1,
        "max_politicians": 4,
        "topics": "Legepladsen",
    }
    other = client_for(cast.other_leader)
    assert other.get(reverse("meetings:visit-offer-list", args=[cast.workplace.slug])).status_code == 404
    assert other.post(reverse("meetings:visit-offer-create", args=[cast.workplace.slug]), data).status_code == 404
    assert not VisitOffer.objects.exists()
    leader = client_for(cast.leader)
    assert leader.post(reverse("meetings:visit-offer-create", args=[cast.workplace.slug]), data).status_code == 302
    offer = VisitOffer.objects.get()
    assert offer.slots.count() == 2
    other = client_for(cast.other_leader)  # one test client: log in again
    assert other.post(reverse("meetings:visit-offer-withdraw", args=[offer.pk])).status_code == 404
    leader = client_for(cast.leader)
    leader.post(
        reverse("meetings:visit-settings-update", args=[cast.workplace.slug]), {"auto_confirm": "on", "monthly_cap": 3}
    )
    assert cast.workplace.visit_settings.monthly_cap == 3


def test_an_offer_form_with_errors_keeps_what_was_typed(client_for, cast):
    response = client_for(cast.leader).post(
        reverse("meetings:visit-offer-create", args=[cast.workplace.slug]),
        {"kind": "single", "slot_minutes": 60, "min_politicians": 1, "max_politicians": 4, "topics": "Køkkenet"},
    )
    assert response.status_code == 200
    assert "Køkkenet" in response.content.decode()


def test_feedback_from_participant_is_visible_to_the_workplace(client_for, cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace)
    visit = services.visit_confirm(visit=book(slot, cast.member), actor=cast.leader)
    Visit.objects.filter(pk=visit.pk).update(
        starts_at=visit.starts_at - dt.timedelta(days=30), ends_at=visit.ends_at - dt.timedelta(days=30)
    )
    confirm_held(visit, cast.leader)
    client_for(cast.member).post(reverse("meetings:visit-feedback", args=[visit.pk]), {"text": "Lærerigt", "rating": 5})
    page = client_for(cast.leader).get(reverse("meetings:visit-detail", args=[visit.pk])).content.decode()
    assert "Lærerigt" in page


def test_only_administrators_see_all_visits_and_export_them(client_for, cast, slot):
    book(slot, cast.member)
    for role in ("member", "leader", "outsider"):
        assert client_for(getattr(cast, role)).get(reverse("meetings:visit-export")).status_code == 404
    client = client_for(cast.administrator)
    assert client.get(reverse("meetings:visit-admin-list")).status_code == 200
    response = client.get(reverse("meetings:visit-export") + f"?person={cast.member.pk}")
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert cast.workplace.name in body
    assert cast.member.full_name in body
    other = client.get(reverse("meetings:visit-export") + f"?arbejdsplads={cast.other_workplace.slug}")
    assert cast.workplace.name not in other.content.decode("utf-8-sig")


def test_the_calendar_page_makes_and_regenerates_the_feed_address(client_for, cast):
    client = client_for(cast.leader)
    assert client.get(reverse("meetings:calendar-detail")).context["feed_url"] == ""
    client.post(reverse("meetings:calendar-feed-regenerate"))
    first = client.get(reverse("meetings:calendar-detail")).context["feed_url"]
    client.post(reverse("meetings:calendar-feed-regenerate"))
    second = client.get(reverse("meetings:calendar-detail")).context["feed_url"]
    assert first and second and first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def _finder_data(cast, n, *, offset=0):
    for i in range(offset, offset + n):
        workplace = factories.WorkplaceFactory(committees=[cast.committee])
        slot = factories.VisitSlotFactory(
            workplace=workplace, starts_at=factories.next_weekday_at(9, days_ahead=7 + 3 * i)
        )  # on a working day, whatever today is
        factories.VisitSlotFactory(workplace=workplace, starts_at=slot.starts_at + dt.timedelta(days=1))
        if i % 2:
            book(slot, cast.chair if i % 4 == 1 else cast.vice_chair)


@pytest.mark.parametrize("path", ["meetings:visit-finder", "meetings:calendar-detail"])
def test_finder_and_calendar_query_counts_do_not_grow_with_data(client_for, cast, django_assert_num_queries, path):
    client = client_for(cast.chair)
    url = reverse(path) + ("?free_from=2000-01-01&not_visited=" if path.endswith("finder") else "")
    _finder_data(cast, 2)
    client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Each measure builds the page anew (my calendar keeps its lists under the person's feed versions).
    feeds_version_bump(people=[cast.chair.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    expected = len(few.captured_queries)  # read now: the next request empties the connection's log
    _finder_data(cast, 12, offset=2)
    client.get(url)  # the finder counts the visits again once after a change of them (recent_visit_counts)
    feeds_version_bump(people=[cast.chair.pk])
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


def test_the_finder_puts_the_workplace_with_fewest_visits_first_and_filters_not_visited(client_for, cast):
    busy = cast.workplace
    quiet = factories.WorkplaceFactory(committees=[cast.committee], name="Å-stillested")
    for days_ago in (10, 20):
        slot = factories.VisitSlotFactory(workplace=busy, starts_at=factories.next_weekday_at(9, days_ahead=-days_ago))
        Visit.objects.create(
            slot=slot,
            workplace=busy,
            booked_by=cast.chair,
            purpose="x",
            status="held",
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
        ).participants.create(person=cast.chair)
    rows = list(client_for(cast.chair).get(reverse("meetings:visit-finder")).context["page"])
    assert [w.pk for w in rows] == [quiet.pk, busy.pk]
    assert [w.recent_visit_count for w in rows] == [0, 2]
    rows = list(client_for(cast.chair).get(reverse("meetings:visit-finder") + "?not_visited=on").context["page"])
    assert [w.pk for w in rows] == [quiet.pk]


def test_the_finder_filters_on_a_free_time_in_a_date_range(client_for, cast, slot):
    factories.WorkplaceFactory(committees=[cast.committee])
    day = slot.day.isoformat()
    rows = list(
        client_for(cast.member)
        .get(reverse("meetings:visit-finder") + f"?free_from={day}&free_to={day}")
        .context["page"]
    )
    assert [w.pk for w in rows] == [cast.workplace.pk]


def test_the_slot_calendar_hides_blacked_out_days(client_for, cast, slot):
    client = client_for(cast.member)
    assert slot in [
        s
        for day in client.get(reverse("meetings:visit-slot-list", args=[cast.workplace.slug])).context["days"].values()
        for s in day
    ]
    factories.BlackoutFactory(workplace=cast.workplace, first_day=slot.day, last_day=slot.day)
    assert not client.get(reverse("meetings:visit-slot-list", args=[cast.workplace.slug])).context["days"]


def test_the_finder_pages_and_counts_its_workplaces_without_a_count_query(client_for, cast, django_assert_num_queries):
    """The number of workplaces is that of the matching ids the finder reads to order them, so no query counts
    them; the pages are those of Django's paginator, out-of-range numbers included (issue 19)."""
    from meetings.visits.views import PAGE_SIZE

    for i in range(PAGE_SIZE + 3):
        factories.WorkplaceFactory(committees=[cast.committee], name=f"Side {i:02}")
    client = client_for(cast.chair)
    url = reverse("meetings:visit-finder") + "?sort=name"
    first = client.get(url)
    assert first.context["page"].paginator.count == PAGE_SIZE + 4  # and the cast's own workplace
    assert len(first.context["page"].object_list) == PAGE_SIZE
    second = client.get(url + "&page=2").context["page"]
    assert (second.number, len(second.object_list)) == (2, 4)
    assert client.get(url + "&page=9").context["page"].number == 2  # past the end: the last page
    assert client.get(url + "&page=x").context["page"].number == 1
    names = [w.name for w in first.context["page"].object_list] + [w.name for w in second.object_list]
    assert names == sorted(names) and len(set(names)) == PAGE_SIZE + 4
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url + "&page=2")
    assert not [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
