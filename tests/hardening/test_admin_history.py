"""The admin does not rewrite history. Generated from the admin's registry, like the permission matrix:

- every model registered in the admin is classified here, as history (shown, never added, edited or deleted) or as
  data the secretariat keeps (with why); a new registration without a line fails;
- for every history model, as the administrator (a superuser): no add, change or delete permission, no bulk delete,
  and a change or delete POST is refused with the row unchanged;
- the rows that must never change refuse it in the model layer too, whatever calls them (the shell, a script):
  instance save and delete, queryset update and delete.

Published codex content and the refusals' messages are tested in tests/codex/test_admin.py, the cancel action in
tests/meetings/visits/test_admin.py.
"""

import pytest
from django.contrib import admin
from django.db.models import F
from django.forms.models import model_to_dict
from django.test import RequestFactory

from agreements.errors import AgreementError
from codex.errors import CodexError
from meetings.errors import MeetingsError
from tests.hardening.figures import record

pytestmark = pytest.mark.django_db

# Rows that record what happened or what a person declared; they change only through services (audited, notified).
HISTORY = {
    "meetings.visit": "cancelled through visit_cancel (the admin action asks for a reason), never edited or deleted",
    "meetings.visitfeedback": "the author's own words and rating",
    "meetings.visitslot": "booked places are counted by the booking services on a locked row",
    "meetings.visitoffer": "made and withdrawn by the leader; an offer added here would have no times",
    "meetings.workplacetie": "the politician's own declaration",
    "meetings.waitlistentry": "joined and left by the politician; held, booked and lapsed by the services",
    "meetings.calendarfeedtoken": "stopped through calendar_token_revoke (admin action), never brought back",
    "meetings.meetingdate": "the rotation's pages keep the history",
    "meetings.rotationplan": "published plans never change",
    "meetings.publishedinputs": "the fingerprinted record a published plan was made from, offered for re-checking",
    "meetings.meeting": "published meetings change through services that tell everyone",
    "meetings.hosting": "the record of who hosted, which the fair rotation counts",
    "meetings.cancellationrequest": "a host's request and how it was handled",
    "meetings.planningrun": "a record of a planning run",
    "codex.signatureevent": "the append-only, hash-chained signature log",
    "agreements.agreementversion": "frozen text of an agreement",
    "agreements.agreementsignature": "signatures bind a person to a fingerprint",
    "agreements.agreementevent": "the agreement's workflow history",
    "agreements.comment": "a person's comment in the comment round",
    "agreements.followup": "a recorded follow-up",
    "meetings.hearing": "the leader's draft and who may comment: written on the hearing's page",
    "meetings.hearingresponse": "a sent hearing response is frozen and fingerprinted; a correction is a new version",
    "meetings.question": "a politician's question and its answers: the administration reads them, never rewrites",
    "codex.challenge": "a leader's challenge of a rule and the committee's decisions, through the workflow's services",
    "codex.policyitem": "the positive list: items are added, changed and reviewed through its services (audited)",
    "codex.policyreview": "a review's decision and reason, append-only",
    "meetings.ledgersnapshot": "the month's published ledger, immutable and fingerprinted",
    "meetings.story": "a workplace's own words; shared, hidden (with a reason) or made public through services",
    "meetings.noticedigest": "a sent weekly digest, the record of what a person was told",
    "meetings.noticepreference": "a person's own choice, set on their notices page",
}

# Data the secretariat keeps in the admin, with what guards it.
EDITABLE = {
    "meetings.user": "people and access (erasure through `personal_data erase`, which keeps the records)",
    "meetings.committee": "organisation data; set inactive, never deleted",
    "meetings.committeemembership": "organisation data with start and end dates",
    "meetings.district": "organisation data",
    "meetings.workplacekind": "organisation data",
    "meetings.workplace": "organisation data; set inactive, never deleted",
    "meetings.workplacerole": "organisation data with start and end dates",
    "meetings.blackout": "a workplace's closed days",
    "meetings.venue": "the municipality's meeting rooms; set inactive, never deleted (meetings were held there)",
    "meetings.visitsettings": "how a workplace receives visits",
    "codex.codexversion": "drafts are written here; a published version is read-only, refused kindly",
    "codex.codexsection": "a draft's sections; published ones are read-only, refused kindly",
    "codex.mirrorquestion": "order and active; an answered statement's words are read-only",
    "agreements.agreement": "an editable agreement's fields; never added or deleted here",
    "agreements.sharedgoal": "the committee's shared goals",
    "meetings.matter": "a matter's words and meeting date (of its committee); never added or deleted here",
    # The libraries' own admins: configuration and account recovery, kept as the libraries ship them.
    "auth.group": "permission groups for staff (Django's)",
    "account.emailaddress": "a person's e-mail addresses (allauth's)",
    "mfa.authenticator": "a person's second factors: the secretariat resets a lost one, never sees a secret",
    "socialaccount.socialaccount": "logins from the identity provider: registered or removed (audited), never edited",
    "django_celery_beat.periodictask": "the schedule of the beat jobs",
    "django_celery_beat.intervalschedule": "the schedule of the beat jobs",
    "django_celery_beat.crontabschedule": "the schedule of the beat jobs",
    "django_celery_beat.solarschedule": "the schedule of the beat jobs",
    "django_celery_beat.clockedschedule": "the schedule of the beat jobs",
}

NEVER_DELETED = ["meetings.committee", "meetings.workplace", "agreements.agreement"]


def _registry() -> dict:
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


def _administrator_request(world):
    request = RequestFactory().get("/admin/")
    request.user = world.cast.administrator
    return request


def _some_row(world, label):
    """A row of each history model: the world has most; feedback and a host's request are made here."""
    from meetings.rotation import services as rotation_services
    from meetings.visits import services as visit_services

    if label == "meetings.visitfeedback":
        from meetings.models import VisitFeedback

        given = VisitFeedback.objects.filter(visit=world.past_visit).first()
        return given or visit_services.visit_feedback_give(
            visit=world.past_visit, author=world.cast.member, text="Lærte meget", rating=4
        )
    if label == "meetings.cancellationrequest":
        return rotation_services.meeting_cancellation_request(
            meeting=world.meeting, actor=world.cast.leader, reason="Vi har vandskade."
        )
    if label == "meetings.waitlistentry":
        from meetings.models import WaitlistEntry

        waiting = WaitlistEntry.objects.order_by("pk").first()
        return waiting or visit_services.waitlist_join(workplace=world.cast.workplace, person=world.cast.member)
    if label == "meetings.noticepreference":
        from meetings.models import NoticePreference

        return NoticePreference.objects.get_or_create(person=world.cast.member, channel="questions")[0]
    if label == "meetings.noticedigest":
        from django.utils import timezone

        from meetings.models import NoticeDigest

        now = timezone.now()
        return NoticeDigest.objects.filter(person=world.cast.member).first() or NoticeDigest.objects.create(
            person=world.cast.member, since=now, until=now, items=[]
        )
    model = _registry()[label].model
    row = model._default_manager.order_by("pk").first()
    assert row is not None, f"the world has no {label}"
    return row


def test_every_model_in_the_admin_is_classified(world):
    registered = set(_registry())
    unclassified = registered - set(HISTORY) - set(EDITABLE)
    assert not unclassified, f"Say whether these admin registrations are history or kept data: {sorted(unclassified)}"
    assert not (set(HISTORY) | set(EDITABLE)) - registered, "classified but no longer registered"
    record("admin_history", admins=len(registered), history=len(HISTORY), kept_data=len(EDITABLE))


@pytest.mark.parametrize("label", sorted(HISTORY))
def test_history_is_shown_but_never_added_changed_or_deleted_in_the_admin(world, client, label):
    model_admin = _registry()[label]
    row = _some_row(world, label)
    request = _administrator_request(world)
    assert model_admin.has_view_permission(request, row)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)
    assert "delete_selected" not in model_admin.get_actions(request)
    for inline in model_admin.get_inline_instances(request, row):
        assert not inline.has_add_permission(request, row), inline
        assert not inline.has_delete_permission(request, row), inline

    before = model_to_dict(type(row)._default_manager.get(pk=row.pk))
    client.force_login(world.cast.administrator)
    opts = row._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    assert client.get(f"{base}{row.pk}/change/").status_code == 200
    assert client.post(f"{base}{row.pk}/change/", {}).status_code == 403
    assert client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(base, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert model_to_dict(type(row)._default_manager.get(pk=row.pk)) == before


@pytest.mark.parametrize("label", NEVER_DELETED)
def test_organisation_records_with_history_are_set_inactive_not_deleted(world, client, label):
    row = _registry()[label].model._default_manager.order_by("pk").first()
    assert not _registry()[label].has_delete_permission(_administrator_request(world), row)
    client.force_login(world.cast.administrator)
    opts = row._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{row.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(row)._default_manager.filter(pk=row.pk).exists()


# --- The model layer: rows that never change refuse it, whoever asks ------------------------------------------------


def _guarded_rows(world):
    """(label, row, a field to try to change) for each kind of row that must never change."""
    from agreements.models import AgreementEvent, AgreementSignature, AgreementVersion
    from codex.models import CodexPrinciple, CodexSection, CodexValue, SignatureEvent
    from meetings.models import HearingResponse, PublishedInputs, VisitEvent

    feedback = _some_row(world, "meetings.visitfeedback")
    return [
        ("visit event", VisitEvent.objects.filter(visit=world.visit).first(), "note"),
        ("visit feedback", feedback, "text"),
        ("codex signature", SignatureEvent.objects.first(), "typed_name"),
        ("published codex version", world.codex, "title"),
        ("published codex section", CodexSection.objects.filter(version=world.codex).first(), "title"),
        ("published codex principle", CodexPrinciple.objects.filter(section__version=world.codex).first(), "text"),
        ("published codex value", CodexValue.objects.filter(version=world.codex).first(), "name"),
        ("agreement version", AgreementVersion.objects.first(), "fingerprint"),
        ("agreement signature", AgreementSignature.objects.first(), "typed_name"),
        ("agreement event", AgreementEvent.objects.first(), "note"),
        ("hearing response", HearingResponse.objects.first(), "text"),
        ("published planner inputs", PublishedInputs.objects.first(), "fingerprint"),
    ]


DOMAIN_ERRORS = (MeetingsError, CodexError, AgreementError)


def test_rows_that_are_history_refuse_every_change_in_the_model_layer(world):
    from meetings.models import Visit

    refusals = 0
    for name, row, field in _guarded_rows(world):
        assert row is not None, name
        model = type(row)
        before = model_to_dict(model._default_manager.get(pk=row.pk))
        setattr(row, field, "Omskrevet")
        attempts = [
            row.save,
            row.delete,
            lambda model=model, row=row, field=field: model._default_manager.filter(pk=row.pk).update(**{field: "x"}),
            lambda model=model, row=row: model._default_manager.filter(pk=row.pk).delete(),
        ]
        for attempt in attempts:
            with pytest.raises(DOMAIN_ERRORS):
                attempt()
            refusals += 1
        assert model_to_dict(model._default_manager.get(pk=row.pk)) == before, name
    # A visit changes state through its services, but is never deleted: that would take its history along.
    for attempt in (world.visit.delete, lambda: Visit.objects.filter(pk=world.visit.pk).delete()):
        with pytest.raises(MeetingsError):
            attempt()
        refusals += 1
    assert Visit.objects.filter(pk=world.visit.pk, events__isnull=False).exists()
    Visit.objects.filter(pk=world.visit.pk).update(sequence=F("sequence"))  # state changes stay possible
    record("admin_history", model_refusals=refusals, guarded_kinds_of_rows=len(_guarded_rows(world)) + 1)
