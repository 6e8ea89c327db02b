"""One person's personal data: export it (GDPR art. 15 and 20) or erase it (art. 17).

What the portal stores about a person, and for how long, is described in the README ("Personal data").
Erasure keeps the records the municipality must keep (signatures, agreements, bookings, the audit log) but
replaces the person in them by a pseudonym: the user row stays, with no name, e-mail, password, roles,
tokens or second factor, so every signature and audit entry still points at the same number and the hash
chains still verify. Free text the person wrote in the municipality's records (visit purposes, comments on
agreements, feedback) is kept as part of those records; see the README.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.models import AgreementSignature, Comment, VersionSeen
from codex.models import SignatureEvent, SignReminder
from core.audit import audit_record
from meetings.errors import MeetingsError
from meetings.models import (
    CalendarFeedToken,
    CommitteeMembership,
    NoticeDigest,
    NoticeItem,
    NoticePreference,
    Question,
    QuestionAnswer,
    Story,
    User,
    Visit,
    VisitFeedback,
    WorkplaceRole,
    WorkplaceTie,
    roles_version_bump,
)


def pseudonym(user_id: int) -> str:
    """What stands in for an erased person's name in the records (stored data, not interface text)."""
    return f"Slettet person #{user_id}"


def person_export(*, person: User) -> dict:
    """Everything the portal holds about one person, as JSON-ready values."""

    def when(value):
        return value.isoformat() if value else None

    return {
        "exported_at": timezone.now().astimezone(dt.UTC).isoformat(),
        "person": {
            "id": person.pk,
            "email": person.email,
            "full_name": person.full_name,
            "active": person.is_active,
            "administrator": person.is_staff,
            "joined": when(person.date_joined),
            "last_login": when(person.last_login),
            "invited_at": when(person.invited_at),
            "erased_at": when(person.erased_at),
        },
        "committee_memberships": [
            {"committee": m.committee.slug, "role": m.role, "start": when(m.start_date), "end": when(m.end_date)}
            for m in CommitteeMembership.objects.filter(user=person).select_related("committee")
        ],
        "workplace_roles": [
            {"workplace": r.workplace.slug, "role": r.role, "start": when(r.start_date), "end": when(r.end_date)}
            for r in WorkplaceRole.objects.filter(user=person).select_related("workplace")
        ],
        "visits": [
            {
                "workplace": v.workplace.slug,
                "starts_at": when(v.starts_at),
                "status": v.status,
                "purpose": v.purpose,
                "booked_by_me": v.booked_by_id == person.pk,
            }
            for v in Visit.objects.filter(participants__person=person).select_related("workplace").distinct()
        ],
        "visit_feedback": [{"visit": f.visit_id, "text": f.text} for f in VisitFeedback.objects.filter(author=person)],
        "declared_ties": [
            {"workplace": t.workplace.slug, "kind": t.kind, "note": t.note}
            for t in WorkplaceTie.objects.filter(person=person).select_related("workplace")
        ],
        "codex_signatures": [
            {"kind": e.kind, "version": e.version.number, "typed_name": e.typed_name, "at": when(e.created_at)}
            for e in SignatureEvent.objects.filter(person=person).select_related("version")
        ],
        "agreement_signatures": [
            {"agreement": s.agreement_id, "side": s.side, "typed_name": s.typed_name, "at": when(s.signed_at)}
            for s in AgreementSignature.objects.filter(person=person)
        ],
        "sso_logins": [
            {
                "provider": link.provider,
                "subject": link.uid,
                "linked": when(link.date_joined),
                "used": when(link.last_login),
            }
            for link in SocialAccount.objects.filter(user=person)
        ],
        "agreement_comments": [
            {"agreement": c.agreement_id, "body": c.body, "at": when(c.created_at)}
            for c in Comment.objects.filter(author=person)
        ],
        "stories": [
            {
                "workplace": s.workplace.slug,
                "title": s.title,
                "text": s.text,
                "status": s.status,
                "at": when(s.created_at),
            }
            for s in Story.objects.filter(author=person).select_related("workplace")
        ],
        "questions_asked": [
            {"workplace": q.workplace.slug, "text": q.text, "status": q.status, "at": when(q.asked_at)}
            for q in Question.objects.filter(asked_by=person).select_related("workplace")
        ],
        "answers_to_questions": [
            {"question": a.question_id, "text": a.text, "number": a.number, "at": when(a.written_at)}
            for a in QuestionAnswer.objects.filter(author=person)
        ],
        "notice_choices": dict(NoticePreference.objects.filter(person=person).values_list("channel", "choice")),
    }


def person_erase(*, person: User, actor: User | None = None, now: dt.datetime | None = None) -> dict:
    """Erase one person's personal data, keeping a pseudonym in the records. Refused while the person still
    takes part in coming visits (cancel them first, so the workplace is told). Returns what was removed."""

    now = now or timezone.now()
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.erased_at is not None:
            raise MeetingsError(_("This person's personal data has already been erased."))
        coming = Visit.objects.active().filter(participants__person=person, starts_at__gt=now).count()
        if coming:
            raise MeetingsError(
                ngettext(
                    "The person takes part in %(count)d coming visit. Cancel it first, so the workplace is told.",
                    "The person takes part in %(count)d coming visits. Cancel them first, so the workplace is told.",
                    coming,
                )
                % {"count": coming}
            )
        name = pseudonym(person.pk)
        today = timezone.localdate(now)
        removed = {
            "committee_memberships": _end_roles(CommitteeMembership.objects.filter(user=person), today),
            "workplace_roles": _end_roles(WorkplaceRole.objects.filter(user=person), today),
            "declared_ties": WorkplaceTie.objects.filter(person=person).delete()[0],
            "calendar_feeds": CalendarFeedToken.objects.filter(person=person).delete()[0],
            "email_addresses": EmailAddress.objects.filter(user=person).delete()[0],
            "second_factors": Authenticator.objects.filter(user=person).delete()[0],
            "sso_logins": SocialAccount.objects.filter(user=person).delete()[0],
            "sign_reminders": SignReminder.objects.filter(person=person).delete()[0],
            "seen_markers": VersionSeen.objects.filter(person=person).delete()[0],
            # Notices name what happened to the person; their choices say how they wanted to hear of it.
            "notices": NoticeItem.objects.filter(person=person).delete()[0]
            + NoticeDigest.objects.filter(person=person).delete()[0]
            + NoticePreference.objects.filter(person=person).delete()[0],
            "sessions": _delete_sessions(person.pk),
            # The chain covers the name's digest, so the pseudonym leaves it intact.
            "codex_signature_names": SignatureEvent.objects.filter(person=person)
            .exclude(typed_name="")
            .pseudonymise(name),
            "agreement_signature_names": AgreementSignature.objects.filter(person=person).pseudonymise(name),
        }
        person.email = f"slettet-{person.pk}@pseudonym.invalid"
        person.full_name = name
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.invited_at = None
        person.last_login = None
        person.set_unusable_password()
        person.erased_at = now
        person.save()
        audit_record(actor=actor, action="person.erased", obj=person, data={"removed": removed})
    return removed


def _end_roles(roles, today: dt.date) -> int:
    """Roles end today (their history stays, under the pseudonym); roles not yet begun are removed."""
    ended = roles.filter(start_date__lte=today).filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
    count = ended.update(end_date=today)
    roles_version_bump()  # an update sends no signals: the cached roles are out of date
    return count + roles.filter(start_date__gt=today).delete()[0]


def _delete_sessions(user_id: int) -> int:
    """Sessions are signed blobs; find the person's by decoding (there are few: the portal's are short-lived)."""
    stale = [s.pk for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(user_id)]
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in stale:
        store(session_key).delete(session_key)  # the engine's own delete: a cached copy goes too (core/sessions.py)
    return len(stale)
