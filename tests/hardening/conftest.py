"""The world the permission matrix runs in: the fixed cast and one of everything a URL can point at.

The world is built once per module inside an outer transaction, and every test runs in a savepoint inside it (the
``db`` fixture), so a POST that changes something is undone before the next test. The outer transaction is
rolled back when the module ends, so nothing leaks into other tests.
"""

import datetime as dt
import tempfile
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from tests import conftest as shared
from tests import factories


def _past_visit(cast, *, held: bool = True, days_ago: int = 2):
    """A visit the member booked, over; confirmed as held by the leader unless ``held`` is false (then it waits for
    someone to say what happened)."""
    from meetings.visits import services

    start = factories.on_a_working_day(timezone.now() - dt.timedelta(days=days_ago))
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    visit = services.visit_book(
        slot=slot, booker=cast.member, purpose="Vi vil se sprogarbejdet.", now=start - dt.timedelta(days=14)
    )
    visit = services.visit_confirm(visit=visit, actor=cast.leader, now=start - dt.timedelta(days=2))
    if held:
        visit = services.visit_outcome_record(visit=visit, actor=cast.leader, outcome="held")
    return visit


def build_world():
    """Everything the URLs of the portal need, made through the real services where they exist."""
    from agreements import services as agreement_services
    from agreements.models import Status
    from codex.models import MirrorQuestion
    from meetings.models import Meeting, MeetingDate, PlanningRun
    from meetings.rotation import services as rotation_services
    from meetings.visits import services as visit_services
    from tests.agreements.conftest import make_agreement
    from tests.codex.conftest import publish, revise, sign, write_draft

    # The shared fixtures as plain functions: the cast and the committee's five extra host workplaces.
    cast = shared.cast.__wrapped__(db=None)
    rotation = shared.rotation.__wrapped__(cast)
    year = timezone.localdate().year
    w = SimpleNamespace(cast=cast, year=year)

    # The codex: two published versions (so there is a difference to show), a draft, and everyone signed.
    a_month_ago = dt.date.today() - dt.timedelta(days=30)
    first = publish(cast.administrator, write_draft(cast.administrator), published_on=a_month_ago)
    w.codex = revise(cast.administrator, first, edit=lambda draft: draft.values.create(order=9, name="Åbenhed"))
    w.codex_draft = write_draft(cast.administrator, title="Kodeks for tillid, udkast")
    for question in ("Jeg kunne tale åbent om fejl", "Vi talte om effekter, ikke procesmål"):
        MirrorQuestion.objects.create(version=w.codex, text=question, order=1)
    for role in ("chair", "vice_chair", "member", "other_member", "leader", "trio", "other_leader"):
        signature = sign(getattr(cast, role), w.codex)
        if role == "member":
            w.codex_signature = signature

    # Visits: a free time, a coming visit booked by the member, a past one, an offer, a tie and a feed token.
    w.free_slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    booked_slot = factories.VisitSlotFactory(
        workplace=cast.workplace,
        offer__created_by=cast.leader,
        starts_at=factories.next_weekday_at(13, days_ahead=14),
    )
    w.visit = visit_services.visit_book(slot=booked_slot, booker=cast.member, purpose="Vi vil se legepladsen.")
    w.past_visit = _past_visit(cast)
    w.unconfirmed_visit = _past_visit(cast, held=False, days_ago=6)
    w.offer = w.free_slot.offer
    w.waitlist_entry = visit_services.waitlist_join(workplace=cast.workplace, person=cast.member)
    w.tie = visit_services.workplace_tie_declare(person=cast.member, workplace=cast.other_workplace, kind="relative")
    w.feed_token = visit_services.calendar_token_ensure(person=cast.member)
    w.revoked_token = visit_services.calendar_token_ensure(person=cast.other_member)
    visit_services.calendar_token_revoke(person=cast.other_member)

    # The rotation: next year published, the year after in draft with a planning run, and one meeting moved
    # into the past so the minutes and the mirror questions have something to be about.
    w.plan_year = rotation.year
    published = rotation_services.rotation_plan_draft(
        committee=cast.committee, year=rotation.year, actor=cast.administrator
    )
    rotation_services.rotation_plan_publish(plan=published, actor=cast.administrator)
    w.meeting = Meeting.objects.filter(plan=published, host=cast.workplace).order_by("starts_at").first()
    past_start = timezone.now() - dt.timedelta(days=3)
    w.past_meeting = Meeting.objects.create(
        committee=cast.committee,
        plan=published,
        host=cast.workplace,
        starts_at=past_start,
        ends_at=past_start + dt.timedelta(hours=3),
        address=cast.workplace.address,
        outcome=Meeting.Outcome.HELD,
    )
    w.unconfirmed_meeting = Meeting.objects.create(
        committee=cast.committee,
        plan=published,
        host=cast.workplace,
        starts_at=past_start - dt.timedelta(days=7),
        ends_at=past_start - dt.timedelta(days=7) + dt.timedelta(hours=3),
        address=cast.workplace.address,
    )
    w.draft_year = rotation.year + 1
    w.draft_plan = rotation_services.rotation_plan_draft(
        committee=cast.committee, year=w.draft_year, actor=cast.administrator
    )
    w.planned = w.draft_plan.meetings.order_by("date").first()
    w.meeting_date = MeetingDate.objects.filter(committee=cast.committee, date__year=w.draft_year).first()
    w.planning_run = PlanningRun.objects.create(
        committee=cast.committee, year=w.draft_year, requested_by=cast.administrator
    )
    # The public ledger: last month published, the month before not.
    w.ledger_month = rotation_services.ledger_snapshot_take().month
    w.unpublished_month = (w.ledger_month - dt.timedelta(days=1)).replace(day=1)

    # Agreements of the cast's workplace, one in each state a URL acts on.
    w.shared_goal = factories.SharedGoalFactory(committee=cast.committee)
    w.draft = make_agreement(cast, Status.DRAFT, year=year + 2)
    w.in_consultation = make_agreement(cast, Status.CONSULTATION, year=year + 5)
    w.in_review = make_agreement(cast, Status.RESUBMITTED, year=year + 3)
    w.approved = make_agreement(cast, Status.APPROVED, year=year + 4)
    w.signed = make_agreement(cast, Status.SIGNED)
    w.active = make_agreement(cast, Status.ACTIVE)
    w.followed_up = make_agreement(cast, Status.FOLLOWED_UP, year=year - 1)
    w.goal = w.draft.goals.order_by("pk").first()
    w.review_version = w.in_review.versions.order_by("-number").first()
    w.comment = agreement_services.comment_add(agreement=w.in_review, actor=cast.member, body="Kan mål 2 skærpes?")
    w.agreement_signature = w.signed.signatures.order_by("pk").first()

    # Hearings: a matter on the draft year's last meeting date (the date pages delete the first), heard at the
    # cast's workplace, with a file; the leader has sent a response and asked to present it, and the chair has not
    # answered yet.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.hearings import services as hearing_services
    from meetings.workdays import add_working_days

    w.matter = hearing_services.matter_register(
        actor=cast.administrator,
        committee=cast.committee,
        meeting_date=MeetingDate.objects.filter(committee=cast.committee, date__year=w.draft_year).last(),
        title="Fælles ledelse",
        summary="Et forslag.",
        case_number="28.00.00-A00-1-26",
        workplaces=[cast.workplace],
        deadline=add_working_days(timezone.localdate(), 10),
        files=[SimpleUploadedFile("forslag.pdf", b"%PDF-1.4\n", content_type="application/pdf")],
    )
    w.matter_file = w.matter.files.get()
    w.hearing = w.matter.hearings.get()
    hearing_services.hearing_draft_save(hearing=w.hearing, actor=cast.leader, text="Vi bakker op.")
    hearing_services.hearing_respond(hearing=w.hearing, actor=cast.leader)
    hearing_services.presentation_request(hearing=w.hearing, actor=cast.leader, note="Om overgangen")

    # The positive list: an item in force on the committee's list owned by the leader (a head of centre), and a
    # removed one.
    from codex.positive_list import services as positive_list_services

    w.policy_item = factories.PolicyItemFactory(
        committee=cast.committee, owner_kind="head_of_centre", owner_title="Centerchef", owner_person=cast.leader
    )
    w.policy_removed = factories.PolicyItemFactory(committee=cast.committee, title="Ugentlig trivselsmåling")
    positive_list_services.policy_item_review(
        item=w.policy_removed, actor=cast.administrator, decision="abolish", reason="Ingen brugte tallene."
    )

    # Questions: the member asks the cast's workplace; its leader has not answered yet.
    from meetings.questions import services as question_services

    w.question = question_services.question_ask(
        actor=cast.member,
        committee=cast.committee,
        workplaces=[cast.workplace],
        text="Hvordan går det med at skaffe pædagoger?",
        no_individual_case=True,
    )[0]

    # Stories: a trio member's story with a photo, waiting for the leader; the leader's own, shared (not public).
    from meetings.stories import services as story_services
    from tests.meetings.stories.conftest import jpeg_with_gps

    w.story, w.shared_story = (
        story_services.story_create(
            workplace=cast.workplace,
            author=author,
            kind="good",
            title=title,
            text="Fra hverdagen.",
            photo=jpeg_with_gps(size=(40, 20)),
            photo_alt="En tegning",
            photo_consent=True,
        )
        for author, title in ((cast.trio, "For lidt plads"), (cast.leader, "Vi læser højt"))
    )

    # Challenges of rules by the cast's leader to the cast's committee: a draft, one sent, one on a meeting (a date)
    # and a running trial.
    from codex.challenges import services as challenge_services

    def challenge(rule):
        return challenge_services.challenge_create(
            actor=cast.leader,
            workplace=cast.workplace,
            committee=cast.committee,
            rule=rule,
            description="Det tager tid fra børnene.",
            hours_per_month=8,
            proposal="trial",
            trio_agrees=True,
        )

    soon = timezone.localdate()  # treated today: the committee's decision may be recorded
    w.challenge_draft = challenge("Daglig søvnregistrering")
    w.challenge_sent = challenge_services.challenge_submit(challenge=challenge("Ugerapport"), actor=cast.leader)
    w.challenge_scheduled = challenge_services.challenge_schedule(
        challenge=challenge_services.challenge_submit(challenge=challenge("Fraværsark"), actor=cast.leader),
        actor=cast.chair,
        treated_on=soon,
    )
    trial = challenge_services.challenge_schedule(
        challenge=challenge_services.challenge_submit(challenge=challenge("Tjekliste"), actor=cast.leader),
        actor=cast.chair,
        treated_on=soon,
    )
    w.challenge_trial = challenge_services.challenge_grant_trial(
        challenge=trial, actor=cast.chair, trial_ends_on=soon + dt.timedelta(days=180), trial_evaluation="Måles."
    )

    # A notice the outbox gave up on, for the secretariat's list of messages that could not be sent.
    from core.models import OutboxMessage

    w.dead_message = OutboxMessage.objects.create(
        handler="meetings.services.invitation_mail_send",
        kwargs={"user_id": cast.leader.pk},
        attempts=8,
        last_error="ValueError: Header values can't contain newlines",
        dead_at=timezone.now(),
    )
    return w


ROLES = ("administrator", "chair", "member", "other_member", "leader", "other_leader", "trio")

# Where the world's files (a hearing's attachment) are kept while this module's tests run: never the checkout's var/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="dialog-hardening-media-")


@pytest.fixture(autouse=True)
def _media_root(settings):
    settings.MEDIA_ROOT = MEDIA_ROOT


def _sessions(cast) -> dict[str, str]:
    """A signed-in session per role, made once: logging in for each of a thousand requests is most of their cost."""
    keys = {}
    for role in ROLES:
        client = Client()
        client.force_login(getattr(cast, role))
        keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once for the module; each test's own changes are rolled back by ``db``."""
    quiet = override_settings(
        DIALOG_REQUIRE_MFA=False,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CELERY_TASK_ALWAYS_EAGER=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=MEDIA_ROOT,
    )
    outer = transaction.atomic()
    outer._from_testcase = True  # like a TestCase's class-wide transaction: services may open their own inside
    with django_db_blocker.unblock(), quiet:
        outer.__enter__()
        try:
            built = build_world()
            built.sessions = _sessions(built.cast)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
