"""Writes for hearings: register a matter, write and comment on a draft response, submit a response (or "no
comments"), and the daily reminder and deadline jobs. Each one transaction on locked rows, with an audit entry and
notices through the outbox.

The rules, refused here whoever calls (a page, the admin, a task, the shell):

- Only the secretariat or the committee's chair registers a matter, for a meeting date of that committee, about
  active workplaces under it, with a deadline before the meeting.
- The hearing period, from the day the matter is registered to the deadline, is at least
  ``DIALOG_HEARING_WORKING_DAYS`` working days (weekends, public holidays and the municipality's closed days do not
  count; ``meetings/workdays.py``). A shorter period needs a written reason, which is kept and shown.
- A submitted response is never changed: a correction is a new version, the earlier one kept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import dates
from core.audit import audit_record
from core.fingerprint import canonical_bytes, normalise_text, sha256_hex
from core.outbox import outbox_enqueue
from meetings.models import (
    Committee,
    Hearing,
    HearingComment,
    HearingResponse,
    Matter,
    MatterFile,
    MeetingDate,
    Presentation,
    User,
    Workplace,
    WorkplaceRole,
)
from meetings.workdays import add_working_days, working_days_between

from . import permissions as can
from .errors import HearingError

# What a file of a matter may be: its ending and the first bytes such a file starts with.
_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04",)  # Office Open XML and OpenDocument
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # the old Office formats
FILE_KINDS: dict[str, tuple[bytes, ...]] = {
    ".pdf": _PDF,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".odp": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
}
REMINDER_WORKING_DAYS = 3


def hearing_working_days() -> int:
    return settings.DIALOG_HEARING_WORKING_DAYS


def max_file_bytes() -> int:
    return settings.DIALOG_HEARING_FILE_MAX_MB * 1024 * 1024


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise HearingError(message)


def earliest_deadline(today: dt.date) -> dt.date:
    """The first deadline that gives the full hearing period when a matter is registered on ``today``."""
    return add_working_days(today, hearing_working_days())


def file_check(upload) -> None:
    """Refuse a file that is too big or is not a PDF or an office document (by its ending and its first bytes)."""
    name = PurePath(upload.name or "").name
    kind = FILE_KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise HearingError(
            _("»%(name)s« cannot be attached. Attach PDF files or office documents (Word, Excel, PowerPoint).")
            % {"name": name}
        )
    if upload.size > max_file_bytes():
        raise HearingError(
            _("»%(name)s« is too big. A file may be at most %(mb)s MB.")
            % {"name": name, "mb": settings.DIALOG_HEARING_FILE_MAX_MB}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in kind):
        raise HearingError(_("»%(name)s« is not the kind of file its name says.") % {"name": name})


def matter_register(
    *,
    actor: User,
    committee: Committee,
    meeting_date: MeetingDate,
    title: str,
    summary: str,
    case_number: str,
    workplaces,
    deadline: dt.date,
    urgency_reason: str = "",
    files=(),
    today: dt.date | None = None,
) -> Matter:
    """Register a matter and hear every workplace it concerns: their leaders and trios are told at once."""
    today = today or timezone.localdate()
    _require(
        can.can_register(actor, committee),
        _("Only the secretariat or the committee's chair can register a matter for the committee."),
    )
    title, summary, case_number = (title or "").strip(), (summary or "").strip(), (case_number or "").strip()
    urgency_reason = (urgency_reason or "").strip()
    _require(bool(title and summary and case_number), _("Give the matter a title, a summary and a case number."))
    _require(meeting_date.committee_id == committee.pk, _("Choose one of the committee's own meeting dates."))
    _require(meeting_date.date > today, _("Choose a meeting date that has not yet come."))
    workplaces = list(workplaces)
    _require(bool(workplaces), _("Choose the workplaces the matter concerns."))
    under = set(Workplace.objects.active().under(committee).values_list("pk", flat=True))
    outside = [w.name for w in workplaces if w.pk not in under]
    _require(
        not outside,
        _("These workplaces are not under the committee: %(names)s.") % {"names": ", ".join(sorted(outside))},
    )
    _require(deadline >= today, _("The hearing deadline has already passed. Choose a later day."))
    _require(
        deadline < meeting_date.date,
        _("The hearing deadline must be before the meeting, so the committee can read the responses."),
    )
    days = working_days_between(today, deadline)
    if days < hearing_working_days() and not urgency_reason:
        raise HearingError(
            ngettext(
                "The hearing period is %(days)s working day; the rule is at least %(rule)s. Write why the matter "
                "is urgent, or choose %(earliest)s or later.",
                "The hearing period is %(days)s working days; the rule is at least %(rule)s. Write why the matter "
                "is urgent, or choose %(earliest)s or later.",
                days,
            )
            % {"days": days, "rule": hearing_working_days(), "earliest": _day(earliest_deadline(today))}
        )
    if days >= hearing_working_days():
        urgency_reason = ""  # a full period needs no reason: none is shown
    files = list(files)
    for upload in files:
        file_check(upload)
    with transaction.atomic():
        matter = Matter.objects.create(
            committee=committee,
            meeting_date=meeting_date,
            title=title,
            summary=summary,
            case_number=case_number,
            deadline=deadline,
            urgency_reason=urgency_reason,
            created_by=actor,
        )
        for workplace in workplaces:
            Hearing.objects.create(matter=matter, workplace=workplace)
        for upload in files:
            MatterFile.objects.create(
                matter=matter, file=upload, name=PurePath(upload.name).name[:200], size=upload.size
            )
        audit_record(
            actor=actor,
            action="hearing.matter_registered",
            obj=matter,
            data={
                "committee": committee.pk,
                "date": meeting_date.date.isoformat(),
                "workplaces": sorted(w.pk for w in workplaces),
                "deadline": deadline.isoformat(),
                "working_days": days,
                "urgent": bool(urgency_reason),
                "files": len(files),
            },
        )
        outbox_enqueue("meetings.hearings.notifications.matter_notice_send", matter_id=matter.pk, kind="registered")
    return matter


def _day(day: dt.date) -> str:
    return dates.when(day, "date")


def _lock_hearing(hearing: Hearing) -> Hearing:
    return Hearing.objects.select_for_update().select_related("matter", "workplace").get(pk=hearing.pk)


def hearing_draft_save(*, hearing: Hearing, actor: User, text: str, commenters=None) -> Hearing:
    """The leader saves the draft response and, if given, who besides the trio may read and comment on it."""
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require(can.can_edit_draft(actor, hearing), _("Only the workplace's leader can write the response."))
        hearing.draft = (text or "").strip()
        hearing.draft_updated_at = timezone.now()
        hearing.save(update_fields=["draft", "draft_updated_at"])
        if commenters is not None:
            people = list(commenters)
            allowed = set(
                WorkplaceRole.objects.current()
                .filter(workplace_id=hearing.workplace_id)
                .values_list("user_id", flat=True)
            )
            _require(
                all(p.pk in allowed for p in people),
                _("Only people with a role at the workplace can comment on its response."),
            )
            hearing.commenters.set(people)
    return hearing


def hearing_comment_add(*, hearing: Hearing, actor: User, body: str) -> HearingComment:
    body = (body or "").strip()
    _require(bool(body), _("Write a comment first."))
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require(can.can_comment(actor, hearing), _("You cannot comment on this response."))
        return HearingComment.objects.create(hearing=hearing, author=actor, body=body)


def response_fingerprint(*, matter_id: int, workplace_id: int, number: int, no_comments: bool, text: str) -> str:
    data = {
        "matter": matter_id,
        "workplace": workplace_id,
        "version": number,
        "no_comments": no_comments,
        "text": normalise_text(text),
    }
    return sha256_hex(canonical_bytes(data))


def hearing_respond(
    *, hearing: Hearing, actor: User, no_comments: bool = False, now: dt.datetime | None = None
) -> HearingResponse:
    """The leader submits the saved draft as the workplace's response, or says it has no comments. A response
    after the deadline is accepted and marked late; a second one is a correction, a new version."""
    now = now or timezone.now()
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require(can.can_respond(actor, hearing), _("Only the workplace's leader can send the response."))
        text = "" if no_comments else normalise_text(hearing.draft)
        _require(no_comments or bool(text), _("Write the response first, or say that you have no comments."))
        previous = hearing.responses.order_by("-number").first()
        number = previous.number + 1 if previous else 1
        late = timezone.localdate(now) > hearing.matter.deadline
        response = HearingResponse.objects.create(
            hearing=hearing,
            number=number,
            no_comments=no_comments,
            text=text,
            fingerprint=response_fingerprint(
                matter_id=hearing.matter_id,
                workplace_id=hearing.workplace_id,
                number=number,
                no_comments=no_comments,
                text=text,
            ),
            late=late,
            submitted_by=actor,
            submitted_at=now,
        )
        audit_record(
            actor=actor,
            action="hearing.corrected" if previous else "hearing.responded",
            obj=hearing.matter,
            data={
                "workplace": hearing.workplace_id,
                "version": number,
                "no_comments": no_comments,
                "late": late,
                "fingerprint": response.fingerprint,
            },
        )
    return response


def response_publication_set(*, hearing: Hearing, actor: User, public: bool) -> Hearing:
    """The leader agrees that the workplace's latest response is shown on the public plan when the matter is public,
    or withdraws the agreement. The response itself is not touched; the agreement names its version, so a newer
    version is not shown until the leader agrees again. »No comments« has no text to show."""
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require(
            can.can_set_publication(actor, hearing),
            _("Only the workplace's leader can decide whether its response is shown publicly."),
        )
        latest = hearing.responses.order_by("-number").first()
        if public:
            _require(
                latest is not None and not latest.no_comments,
                _("Send the response first. An answer of »No comments« has no text to show."),
            )
            hearing.response_public_version = latest.number
            hearing.response_public_by = actor
            hearing.response_public_at = timezone.now()
        else:
            hearing.response_public_version = None
            hearing.response_public_by = None
            hearing.response_public_at = None
        hearing.save(update_fields=["response_public_version", "response_public_by", "response_public_at"])
        audit_record(
            actor=actor,
            action="hearing.response_public_agreed" if public else "hearing.response_public_withdrawn",
            obj=hearing.matter,
            data={"workplace": hearing.workplace_id, "version": latest.number if public else None},
        )
    return hearing


def response_verify(response: HearingResponse) -> bool:
    """Whether the response's text is still the one its fingerprint was made of."""
    return response.fingerprint == response_fingerprint(
        matter_id=response.hearing.matter_id,
        workplace_id=response.hearing.workplace_id,
        number=response.number,
        no_comments=response.no_comments,
        text=response.text,
    )


# --- The daily jobs ---------------------------------------------------------------------------------------------


def _missing(matter: Matter) -> list[Hearing]:
    return [h for h in matter.hearings.all() if not h.responses.all()]


def hearing_reminders_send(*, today: dt.date | None = None) -> int:
    """Daily: from three working days before the deadline, remind the leaders and trios of the workplaces that have
    not answered. Once per matter; a matter with every answer in is marked reminded without a notice."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        candidates = list(
            Matter.objects.select_for_update(skip_locked=True)
            .open()
            .filter(reminded_at__isnull=True, deadline__lte=add_working_days(today, REMINDER_WORKING_DAYS))
            .order_by("pk")
        )
        for matter in Matter.objects.filter(pk__in=[m.pk for m in candidates]).prefetch_related("hearings__responses"):
            if add_working_days(matter.deadline, -REMINDER_WORKING_DAYS) > today:
                continue
            Matter.objects.filter(pk=matter.pk).update(reminded_at=timezone.now())
            if _missing(matter):
                outbox_enqueue(
                    "meetings.hearings.notifications.matter_notice_send", matter_id=matter.pk, kind="reminder"
                )
                count += 1
    return count


def hearing_deadlines_notice(*, today: dt.date | None = None) -> int:
    """Daily: the day after a matter's deadline, tell the secretariat which responses are missing. Once per
    matter; nothing is sent when every workplace has answered."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        due = list(
            Matter.objects.select_for_update(skip_locked=True)
            .open()
            .filter(deadline_noticed_at__isnull=True, deadline__lt=today)
            .order_by("pk")
        )
        for matter in Matter.objects.filter(pk__in=[m.pk for m in due]).prefetch_related("hearings__responses"):
            Matter.objects.filter(pk=matter.pk).update(deadline_noticed_at=timezone.now())
            missing = _missing(matter)
            if missing:
                outbox_enqueue(
                    "meetings.hearings.notifications.missing_responses_send",
                    matter_id=matter.pk,
                    workplace_ids=[h.workplace_id for h in missing],
                )
                count += 1
    return count


# --- Asking to present (foretræde) ------------------------------------------------------------------------------


def presentation_request(*, hearing: Hearing, actor: User, note: str) -> Presentation:
    """With the response, the leader asks to present the matter in person at the meeting. Asked again while the
    chair has not answered, the note is replaced."""
    note = (note or "").strip()
    _require(bool(note), _("Write briefly what you want to say at the meeting."))
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require(can.can_respond(actor, hearing), _("Only the workplace's leader can ask to present the matter."))
        _require(hearing.responses.exists(), _("Send the response first; then you can ask to present it."))
        existing = Presentation.objects.select_for_update().filter(hearing=hearing).first()
        if existing is not None:
            _require(
                existing.status == Presentation.Status.REQUESTED,
                _("The chair has already answered your request to present the matter."),
            )
            existing.note = note
            existing.save(update_fields=["note"])
            return existing
        presentation = Presentation.objects.create(hearing=hearing, note=note, requested_by=actor)
        audit_record(
            actor=actor,
            action="hearing.presentation_requested",
            obj=hearing.matter,
            data={"workplace": hearing.workplace_id},
        )
        outbox_enqueue(
            "meetings.hearings.notifications.presentation_notice_send",
            presentation_id=presentation.pk,
            kind="requested",
        )
    return presentation


def _answer_presentation(presentation: Presentation, actor: User, *, action: str, **changes) -> Presentation:
    with transaction.atomic():
        presentation = (
            Presentation.objects.select_for_update().select_related("hearing__matter").get(pk=presentation.pk)
        )
        matter = presentation.hearing.matter
        _require(can.is_chair(actor, matter), _("Only the committee's chair can answer a request to present."))
        _require(
            presentation.status == Presentation.Status.REQUESTED,
            _("The request to present has already been answered."),
        )
        for field, value in changes.items():
            setattr(presentation, field, value)
        presentation.decided_by, presentation.decided_at = actor, timezone.now()
        presentation.save()
        audit_record(
            actor=actor,
            action=action,
            obj=matter,
            data={"workplace": presentation.hearing.workplace_id},
        )
        outbox_enqueue(
            "meetings.hearings.notifications.presentation_notice_send",
            presentation_id=presentation.pk,
            kind=presentation.status,
        )
    return presentation


def presentation_accept(*, presentation: Presentation, actor: User, at: dt.time) -> Presentation:
    """The chair accepts, with the time on the meeting's programme; the leader is told."""
    _require(at is not None, _("Choose the time on the meeting's programme."))
    return _answer_presentation(
        presentation, actor, action="hearing.presentation_accepted", status=Presentation.Status.ACCEPTED, at=at
    )


def presentation_decline(*, presentation: Presentation, actor: User, reason: str) -> Presentation:
    """The chair declines, with a reason the leader is told."""
    reason = (reason or "").strip()
    _require(bool(reason), _("Write why, so the leader knows."))
    return _answer_presentation(
        presentation, actor, action="hearing.presentation_declined", status=Presentation.Status.DECLINED, reason=reason
    )


# --- After the meeting ----------------------------------------------------------------------------------------


def matter_decide(
    *, matter: Matter, actor: User, decision: str = "", decision_url: str = "", is_public: bool = False
) -> Matter:
    """The secretariat records the committee's decision (a text or a link to the published minutes); each
    workplace heard is told the outcome. Once recorded, the hearing is closed."""
    decision, decision_url = (decision or "").strip(), (decision_url or "").strip()
    _require(can.is_administrator(actor), _("Only the secretariat records the committee's decision."))
    _require(bool(decision or decision_url), _("Write the decision, or link to the published minutes."))
    with transaction.atomic():
        matter = Matter.objects.select_for_update().select_related("meeting_date").get(pk=matter.pk)
        _require(matter.decided_at is None, _("The decision is already recorded."))
        _require(
            matter.meeting_date.date <= timezone.localdate(),
            _("The decision can be recorded from the day of the meeting."),
        )
        matter.decision, matter.decision_url, matter.is_public = decision, decision_url, is_public
        matter.decided_at, matter.decided_by = timezone.now(), actor
        matter.save(update_fields=["decision", "decision_url", "is_public", "decided_at", "decided_by"])
        missing = list(matter.hearings.filter(responses__isnull=True).values_list("workplace_id", flat=True))
        audit_record(
            actor=actor,
            action="hearing.decided",
            obj=matter,
            data={"public": is_public, "without_response": sorted(missing)},
        )
        outbox_enqueue("meetings.hearings.notifications.matter_notice_send", matter_id=matter.pk, kind="decided")
    return matter
