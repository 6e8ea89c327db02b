"""The rough edges of the agreements found in the first week of real use (issue 21): the start form's year and
what it copies, what the committee asked to change shown on top, the shared-goal link only for those who may
open it, an empty goal list without a number, moving goals up and down with focus kept, the consultation's
employee picker, and the goals of the agreement in force on an old meeting's day."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import selectors, services
from agreements.models import Agreement, Status
from meetings.models import Meeting, RotationPlan, WorkplaceRole
from tests import factories

from .conftest import make_agreement, step

pytestmark = pytest.mark.django_db

START = "agreements:agreement-start"


def _start_url(cast):
    return reverse(START, args=[cast.workplace.slug])


# --- The start form -------------------------------------------------------------------------------------------


def test_the_start_form_proposes_the_first_year_without_an_agreement(client_for, cast):
    year = timezone.localdate().year
    make_agreement(cast, Status.DRAFT, year=year)
    make_agreement(cast, Status.DRAFT, year=year + 1)
    form = client_for(cast.leader).get(_start_url(cast)).context["form"]
    assert form["year"].value() == year + 2


def test_the_start_form_refuses_a_year_that_already_has_an_agreement_and_keeps_the_choice(client_for, cast):
    year = timezone.localdate().year
    make_agreement(cast, Status.DRAFT, year=year)
    response = client_for(cast.leader).post(
        _start_url(cast), {"committee": cast.committee.pk, "year": year, "start_from": "empty", "previous": ""}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["year"]
    assert f"allerede en udviklingsaftale med {cast.committee.name} for {year}" in errors[0]
    assert str(year + 1) in errors[0]  # it names a free year
    assert Agreement.objects.count() == 1
    assert f'value="{year}"' in response.content.decode()


def test_the_start_form_names_the_agreement_it_copies_and_copies_that_one(client_for, cast):
    year = timezone.localdate().year
    last = make_agreement(cast, Status.CLOSED, year=year - 1)
    client = client_for(cast.leader)
    page = client.get(_start_url(cast))
    content = page.content.decode()
    assert f"Fra aftalen for {last.period_label}" in content
    assert f'name="previous" value="{last.pk}"' in content
    response = client.post(
        _start_url(cast),
        {"committee": cast.committee.pk, "year": year, "start_from": "previous", "previous": last.pk},
        follow=True,
    )
    created = Agreement.objects.get(period_start__year=year)
    assert created.carried_from == last
    assert f"startet fra aftalen for {last.period_label}" in response.content.decode()


def test_the_start_form_copies_nothing_when_the_year_chosen_would_copy_another_agreement(client_for, cast):
    year = timezone.localdate().year
    older = make_agreement(cast, Status.CLOSED, year=year - 2)
    newer = make_agreement(cast, Status.CLOSED, year=year)
    # The page proposed next year and named this year's agreement; the leader typed last year instead.
    response = client_for(cast.leader).post(
        _start_url(cast),
        {"committee": cast.committee.pk, "year": year - 1, "start_from": "previous", "previous": newer.pk},
    )
    assert response.status_code == 200
    message = response.context["form"].errors["start_from"][0]
    assert f"For {year - 1} ville udkastet starte fra aftalen for {older.period_label}" in message
    assert not Agreement.objects.filter(period_start__year=year - 1).exists()
    # The page now names the agreement that year would copy, and starting again copies it.
    assert f'name="previous" value="{older.pk}"' in response.content.decode()


# --- What should change, on top ---------------------------------------------------------------------------------


def test_what_the_committee_asked_to_change_is_on_top_of_the_agreement_and_the_editor(client_for, cast):
    agreement = make_agreement(cast, Status.CHANGES_REQUESTED)
    for role, url in (
        ("leader", agreement.get_absolute_url()),
        ("member", agreement.get_absolute_url()),
        ("leader", reverse("agreements:agreement-update", args=[agreement.pk])),
    ):
        content = client_for(getattr(cast, role)).get(url).content.decode()
        box = content.index('data-testid="changes-requested"')
        assert box < content.index("<h2", content.index("</h1>") + 1) + 200  # before the document
        assert "Gør mål 1 skarpere." in content[box : box + 800]
        assert cast.member.full_name in content[box : box + 800]


def test_the_request_for_changes_is_not_shown_once_the_agreement_is_resubmitted(client_for, cast):
    agreement = make_agreement(cast, Status.CHANGES_REQUESTED)
    step(agreement, cast, "resubmit")
    content = client_for(cast.member).get(agreement.get_absolute_url()).content.decode()
    assert 'data-testid="changes-requested"' not in content
    assert "Gør mål 1 skarpere." in content  # still in the history


# --- The shared-goal link -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown", "code"),
    [
        ("administrator", True, 200),
        ("chair", True, 200),
        ("member", True, 200),
        ("leader", True, 200),
        ("trio", False, 404),
        ("outsider", False, 404),
    ],
)
def test_the_shared_goal_link_is_shown_only_to_those_who_may_open_it(client_for, cast, role, shown, code):
    client = client_for(getattr(cast, role))
    content = client.get(reverse("agreements:agreement-list")).content.decode()
    assert ('data-testid="shared-goals-link"' in content) is shown
    assert client.get(reverse("agreements:sharedgoal-list")).status_code == code


def test_an_employee_sees_no_shared_goal_link(client_for, cast):
    employee = factories.UserFactory(email="medarbejder@dalby.example")
    factories.WorkplaceRoleFactory(user=employee, workplace=cast.workplace, role=WorkplaceRole.Role.EMPLOYEE)
    content = client_for(employee).get(reverse("agreements:agreement-list")).content.decode()
    assert 'data-testid="shared-goals-link"' not in content


# --- The editor's goal list ---------------------------------------------------------------------------------------


def test_an_empty_goal_list_is_an_empty_state_without_a_number(client_for, cast):
    agreement = make_agreement(cast, goals=0)
    content = client_for(cast.leader).get(reverse("agreements:agreement-update", args=[agreement.pk])).content.decode()
    assert 'data-testid="goal-list-empty"' in content
    assert 'data-testid="goal-list"' not in content
    assert not re.search(r"<li[^>]*>\s*Ingen mål endnu", content)


def _editor(client, agreement, query=""):
    return client.get(reverse("agreements:agreement-update", args=[agreement.pk]) + query).content.decode()


def test_goals_move_down_and_up_and_the_moved_goals_button_keeps_focus(client_for, cast):
    agreement = make_agreement(cast, goals=3)
    first, second, third = agreement.ordered_goals()
    client = client_for(cast.leader)
    content = _editor(client, agreement)
    # The first goal cannot go up and the last cannot go down.
    assert content.count('data-testid="goal-up"') == 2 and content.count('data-testid="goal-down"') == 2
    move = reverse("agreements:goal-move", args=[agreement.pk, first.pk])
    response = client.post(move, {"direction": "down"})
    assert response.status_code == 302
    assert response.url.endswith(f"?flyttet={first.pk}&retning=ned")
    assert [g.pk for g in agreement.ordered_goals()] == [second.pk, first.pk, third.pk]
    page = client.get(response.url).content.decode()
    row = page[page.index(f'id="goal-row-{first.pk}"') :]
    row = row[: row.index("</li>")]
    assert re.search(r'data-testid="goal-down" autofocus', row)
    assert page.count("autofocus") == 1
    assert f"»{first.title}« er flyttet ned." in page
    # Moved to the bottom it can go no further down: focus goes to its Up button.
    client.post(move, {"direction": "down"})
    page = _editor(client, agreement, f"?flyttet={first.pk}&retning=ned")
    row = page[page.index(f'id="goal-row-{first.pk}"') :]
    assert re.search(r'data-testid="goal-up" autofocus', row[: row.index("</li>")])
    response = client.post(move, {"direction": "up"})
    assert response.url.endswith("retning=op")
    assert [g.pk for g in agreement.ordered_goals()] == [second.pk, first.pk, third.pk]


@pytest.mark.parametrize("role", ["trio", "member", "outsider", "other_leader"])
def test_only_the_leader_moves_goals(client_for, cast, role):
    agreement = make_agreement(cast, goals=2)
    first, second = agreement.ordered_goals()
    move = reverse("agreements:goal-move", args=[agreement.pk, first.pk])
    response = client_for(getattr(cast, role)).post(move, {"direction": "down"})
    assert response.status_code in (403, 404)
    assert [g.pk for g in agreement.ordered_goals()] == [first.pk, second.pk]


# --- Consultation ------------------------------------------------------------------------------------------------


def test_the_consultation_picker_is_labelled_and_names_each_employee(client_for, cast):
    agreement = make_agreement(cast)
    employee = factories.UserFactory(email="ansat@dalby.example", full_name="Test Ansat")
    factories.WorkplaceRoleFactory(user=employee, workplace=cast.workplace, role=WorkplaceRole.Role.EMPLOYEE)
    content = (
        client_for(cast.leader).get(reverse("agreements:agreement-consultation", args=[agreement.pk])).content.decode()
    )
    legend = re.search(r"<legend[^>]*>\s*(.*?)\s*</legend>", content, re.S)
    assert legend and legend.group(1) == "Andre medarbejdere, der kan kommentere"
    assert re.search(r"<label[^>]*>\s*Test Ansat\s*</label>", content)


def test_without_employees_the_consultation_page_shows_no_empty_picker(client_for, cast):
    agreement = make_agreement(cast)
    client = client_for(cast.leader)
    content = client.get(reverse("agreements:agreement-consultation", args=[agreement.pk])).content.decode()
    assert "<legend" not in content and 'name="consultees"' not in content
    client.post(reverse("agreements:agreement-consultation", args=[agreement.pk]), {})
    agreement.refresh_from_db()
    assert agreement.status == Status.CONSULTATION


# --- The goals of an old meeting ------------------------------------------------------------------------------------


def _meeting(cast, day):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(16)))
    plan, _ = RotationPlan.objects.get_or_create(
        committee=cast.committee,
        year=day.year,
        defaults={"status": RotationPlan.Status.PUBLISHED, "created_by": cast.administrator},
    )
    return Meeting.objects.create(
        committee=cast.committee,
        plan=plan,
        host=cast.workplace,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        address="Solsikkevej 1",
    )


def _last_years_and_this_years(cast):
    year = timezone.localdate().year
    last = make_agreement(cast, Status.CLOSED, year=year - 1)
    last.goals.update(title="Sidste års mål")
    this = make_agreement(cast, Status.ACTIVE, year=year)
    this.goals.update(title="Årets mål")
    return last, this


def test_an_old_meeting_shows_the_goals_of_the_agreement_in_force_on_its_day(client_for, cast):
    last, _this = _last_years_and_this_years(cast)
    old = _meeting(cast, dt.date(last.period_start.year, 6, 10))
    content = client_for(cast.member).get(old.get_absolute_url()).content.decode()
    assert "Sidste års mål" in content and "Årets mål" not in content


def test_todays_meeting_shows_the_goals_of_todays_agreement(client_for, cast):
    _last_years_and_this_years(cast)
    today = _meeting(cast, timezone.localdate())
    content = client_for(cast.member).get(today.get_absolute_url()).content.decode()
    assert "Årets mål" in content and "Sidste års mål" not in content


def test_on_a_day_before_an_amendment_came_into_force_the_amended_agreement_counts(cast):
    year = timezone.localdate().year
    original = make_agreement(cast, Status.ACTIVE, year=year - 1)
    amendment = services.agreement_amend(agreement=original, actor=cast.leader)
    for name in ["consult", "submit", "approve", "sign_workplace", "sign_committee"]:
        step(amendment, cast, name)
    # The amendment came into force today (in this test), so last summer the original was in force.
    shown = selectors.workplace_goals(cast.workplace, on=dt.date(year - 1, 6, 10))
    assert [a.pk for a in shown] == [original.pk]


def test_an_old_meeting_with_no_agreement_then_shows_none(cast):
    year = timezone.localdate().year
    make_agreement(cast, Status.ACTIVE, year=year)
    assert selectors.workplace_goals(cast.workplace, on=dt.date(year - 1, 6, 10)) == []


def test_the_goals_of_an_old_day_take_one_query(cast, django_assert_num_queries):
    last, _this = _last_years_and_this_years(cast)
    with django_assert_num_queries(1):
        shown = selectors.workplace_goals(cast.workplace, on=dt.date(last.period_start.year, 6, 10))
        [row.latest for a in shown for row in a.goal_rows]
