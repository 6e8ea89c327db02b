"""One bad notice no longer retries forever (issue 14, hole 9).

A name with an invisible control character (the import used to accept one) made an e-mail subject invalid, and
the outbox tried that notice again and again while the people concerned were never told. Now: the import and every
form refuse control characters; subjects are cleaned; and a message that keeps failing is given up after
``DIALOG_OUTBOX_MAX_ATTEMPTS`` attempts, listed for the administrators (who are told once) with a button to try
it again.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from core import outbox
from core.mail import clean_subject
from core.models import AuditEntry, OutboxMessage
from meetings.imports import OrganisationImportError, organisation_import
from meetings.models import User, Workplace
from tests import factories
from tests.meetings.visits.conftest import book

from .figures import record
from .hostile import is_danish

pytestmark = pytest.mark.django_db

BROKEN = {"on": True}
CALLS: list[dict] = []


def flaky_notice(**kwargs):
    """A handler for the tests: fails while BROKEN is on (the cause not yet fixed), then sends one e-mail."""
    if BROKEN["on"]:
        raise ValueError("Header values can't contain newlines")
    CALLS.append(kwargs)
    mail.send_mail("Besked", "Tekst", None, ["leder@dalby.example"])


FLAKY = f"{__name__}.flaky_notice"


@pytest.fixture(autouse=True)
def _reset():
    BROKEN["on"] = True
    CALLS.clear()


def _given_up(django_capture_on_commit_callbacks, settings, **kwargs) -> OutboxMessage:
    """A message whose handler failed every one of its attempts. Each attempt is a hand-over, as a Celery retry or
    the flush makes it (a real worker retrying on its own is in tests/meetings/test_celery_worker.py)."""
    settings.DIALOG_OUTBOX_MAX_ATTEMPTS = 3
    message = OutboxMessage.objects.create(handler=FLAKY, kwargs=kwargs)
    for _attempt in range(2):
        with pytest.raises(ValueError):
            outbox.outbox_deliver(message_id=message.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_deliver(message_id=message.pk) is False  # the third: given up, no longer raised
    message.refresh_from_db()
    return message


# --- The import and the forms refuse control characters ----------------------------------------------------------

PEOPLE = "email,full_name,role,committee,committee_role,workplace\n"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Anne\x0bHansen", "U+000B"),
        ("Anne\x85Hansen", "U+0085"),
        ("Anne\x1b[31mHansen", "U+001B"),
        ("Anne\rHansen", "U+000D"),
    ],
)
def test_the_import_refuses_a_name_with_a_control_character_naming_row_column_and_code(cast, name, code):
    people = PEOPLE + "ok@dalby.example,Ok Navn,politician,boern-og-unge,member,\n"
    people += f'x@dalby.example,"{name}",politician,boern-og-unge,member,\n'
    with translation.override("da"), pytest.raises(OrganisationImportError) as refused:
        organisation_import(people=("people.csv", people.encode()))
    (problem,) = refused.value.problems
    assert (problem.line, problem.column) == (3, "full_name")
    assert code in problem.reason and is_danish(problem.reason)
    assert not User.objects.filter(email__in=["ok@dalby.example", "x@dalby.example"]).exists()


def test_the_import_keeps_line_breaks_where_they_belong(cast):
    workplaces = (
        "slug,name,kind,address,district,committees,seats,step_free,active,latitude,longitude,description\n"
        'ny,Nyt Sted,Skole,Torvet 1,Nord,boern-og-unge,10,ja,ja,,,"Første linje\r\nAnden linje\tmed tab"\n'
    )
    organisation_import(workplaces=("workplaces.csv", workplaces.encode()))
    assert Workplace.objects.get(slug="ny").description == "Første linje\r\nAnden linje\tmed tab"


def test_a_form_refuses_a_control_character_in_danish_and_keeps_what_was_typed(client_for, cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    typed = "Se \x0bsprogarbejdet"
    response = client_for(cast.member).post(reverse("meetings:visit-create", args=[slot.pk]), {"purpose": typed})
    assert response.status_code == 200
    with translation.override("da"):
        (error,) = response.context["form"].errors["purpose"]
    assert "U+000B" in error and is_danish(error)
    assert typed in response.content.decode()


def test_a_multi_line_box_keeps_its_line_breaks_and_a_one_line_field_refuses_them(client_for, cast):
    from codex.forms import SignForm
    from meetings.visits.forms import ReasonForm

    assert ReasonForm({"reason": "Syg.\r\nVi finder en ny dag.\tTak"}).is_valid()
    form = SignForm({"has_read": "on", "typed_name": "Test\nmember"})
    assert not form.is_valid() and "U+000A" in str(form.errors["typed_name"])


def test_the_admin_refuses_a_name_with_a_control_character(client_for, cast):
    page = reverse("admin:meetings_user_change", args=[cast.leader.pk])
    client = client_for(cast.administrator)
    form = client.get(page).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({"full_name": "Test\x0cleader", "email": cast.leader.email})
    response = client.post(page, data)
    assert response.status_code == 200
    assert "U+000C" in str(response.context["adminform"].form.errors["full_name"])
    cast.leader.refresh_from_db()
    assert cast.leader.full_name == "Test leader"


# --- Subjects are cleaned ----------------------------------------------------------------------------------------


def test_a_subject_is_one_clean_line_whatever_the_names_in_it():
    assert clean_subject("Dit besøg hos Sol\rsikken\x0b er\u2028booket \n") == "Dit besøg hos Sol sikken er booket"


def test_a_name_stored_with_a_carriage_return_still_gets_its_notice_out(cast, django_capture_on_commit_callbacks):
    # Stored before the import refused control characters: the notice used to fail on every attempt.
    Workplace.objects.filter(pk=cast.workplace.pk).update(name="Børnehuset\rSolsikken")
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    with django_capture_on_commit_callbacks(execute=True):
        book(slot, cast.member)
    assert mail.outbox, "no notice was sent"
    assert all("\r" not in m.subject and "\n" not in m.subject for m in mail.outbox)
    assert any("Børnehuset Solsikken" in m.subject for m in mail.outbox)
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()


# --- A message that keeps failing is given up, shown and can be tried again -------------------------------------


def test_a_message_that_keeps_failing_is_given_up_after_the_set_attempts(
    cast, django_capture_on_commit_callbacks, settings
):
    message = _given_up(django_capture_on_commit_callbacks, settings, user_id=cast.leader.pk)
    assert message.attempts == 3 and message.dead_at is not None and message.delivered_at is None
    assert "newlines" in message.last_error
    assert AuditEntry.objects.filter(action="outbox.given_up", object_id=str(message.pk)).exists()
    # The flush no longer hands it over, and a stray delivery does nothing.
    later = timezone.now() + dt.timedelta(days=1)
    assert outbox.outbox_flush(now=later) == 0
    assert outbox.outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.attempts == 3


def test_the_administrators_are_told_once_when_a_message_is_given_up(
    cast, django_capture_on_commit_callbacks, settings
):
    message = _given_up(django_capture_on_commit_callbacks, settings, user_id=cast.leader.pk)
    (notice,) = mail.outbox
    assert notice.to == [cast.administrator.email]
    assert "kunne ikke sende" in notice.subject
    assert cast.leader.full_name in notice.body and reverse("meetings:outbox-dead-list") in notice.body
    assert OutboxMessage.objects.get(handler=outbox.DEAD_LETTER_NOTICE).kwargs == {"message_id": message.pk}
    with django_capture_on_commit_callbacks(execute=True):
        outbox.outbox_flush(now=timezone.now() + dt.timedelta(days=1))
    assert len(mail.outbox) == 1


def test_the_list_shows_each_message_in_danish_and_its_queries_do_not_grow(
    client_for, cast, django_capture_on_commit_callbacks, settings, django_assert_num_queries
):
    _given_up(django_capture_on_commit_callbacks, settings, user_id=cast.leader.pk)
    client = client_for(cast.administrator)
    client.get(reverse("meetings:outbox-dead-list"))  # warm: the person's roles are cached from then on (issue 19)
    with django_assert_num_queries(3) as few:
        response = client.get(reverse("meetings:outbox-dead-list"))
    content = response.content.decode()
    assert "Beskeder, der ikke kunne sendes" in content
    assert cast.leader.full_name in content and "newlines" in content
    for n in range(5):
        OutboxMessage.objects.create(
            handler="meetings.visits.notifications.visit_mail_send",
            kwargs={"visit_id": n + 1, "kind": "booked", "actor_id": cast.member.pk},
            attempts=8,
            last_error="SMTPRecipientsRefused",
            dead_at=timezone.now(),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("meetings:outbox-dead-list"))
    assert response.content.decode().count('data-testid="outbox-dead-row"') == 6
    assert "Besked om besøg" in response.content.decode()


@pytest.mark.parametrize("role", ["member", "leader", "chair", "trio", "outsider"])
def test_only_administrators_see_the_list_and_retry(
    client_for, cast, role, django_capture_on_commit_callbacks, settings
):
    message = _given_up(django_capture_on_commit_callbacks, settings)
    client = client_for(getattr(cast, role))
    assert client.get(reverse("meetings:outbox-dead-list")).status_code == 404
    assert client.post(reverse("meetings:outbox-retry", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.dead_at is not None


def test_retrying_after_the_cause_is_fixed_delivers_once_and_is_audited(
    client_for, cast, django_capture_on_commit_callbacks, settings
):
    message = _given_up(django_capture_on_commit_callbacks, settings)
    mail.outbox.clear()
    BROKEN["on"] = False  # the cause is fixed
    client = client_for(cast.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:outbox-retry", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.delivered_at is not None and message.dead_at is None and message.attempts == 1
    assert len(CALLS) == 1 and len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="outbox.retried", actor_id=cast.administrator.pk).exists()
    # A second press (an old tab) changes nothing and says why.
    response = client.post(reverse("meetings:outbox-retry", args=[message.pk]), follow=True)
    *_sent, refusal = [str(m) for m in response.context["messages"]]
    assert "allerede" in refusal
    assert len(CALLS) == 1
    record("dead_letters", given_up_after=3, retried_and_delivered=1)


def test_the_retry_button_only_takes_a_post(client_for, cast, django_capture_on_commit_callbacks, settings):
    message = _given_up(django_capture_on_commit_callbacks, settings)
    BROKEN["on"] = False  # a retry would now deliver it
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.administrator).get(reverse("meetings:outbox-retry", args=[message.pk]))
    assert response.status_code == 405
    message.refresh_from_db()
    assert message.dead_at is not None and message.delivered_at is None


def test_the_administrators_dashboard_counts_the_messages_given_up(
    client_for, cast, django_capture_on_commit_callbacks, settings
):
    client = client_for(cast.administrator)
    assert 'data-testid="dashboard-undelivered"' not in client.get(reverse("home")).content.decode()
    _given_up(django_capture_on_commit_callbacks, settings)
    content = client.get(reverse("home")).content.decode()
    assert 'data-testid="dashboard-undelivered"' in content and "1 besked kunne ikke sendes" in content
