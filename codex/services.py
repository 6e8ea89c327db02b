"""Writes to the codex. Each service is one transaction on locked rows; mail goes out after commit."""

import datetime as dt
import random
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import chain, chains
from core.audit import audit_record
from core.mail import send_templated_mail
from core.outbox import outbox_enqueue
from meetings.models import User

from . import mirror, selectors
from .errors import CodexError
from .models import (
    AnswerReceipt,
    CodexPrinciple,
    CodexSection,
    CodexValue,
    CodexVersion,
    MirrorAnswer,
    MirrorQuestion,
    SignatureEvent,
    SignatureLogHead,
    SignReminder,
    name_digest,
)

REMINDER_INTERVAL = dt.timedelta(days=7)


def names_match(typed: str, full_name: str) -> bool:
    """Whether a name typed as a signature is the person's full name: case and runs of spaces do not count.
    Signing the codex and signing an agreement both ask for it this way."""

    def norm(s):
        return re.sub(r"\s+", " ", s or "").strip().casefold()

    return bool(norm(typed)) and norm(typed) == norm(full_name)


def _append_event(**fields) -> SignatureEvent:
    """Append one entry to the chain. The caller holds a transaction."""
    head, _created = SignatureLogHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"entry_hash": chain.GENESIS_HASH, "entries": 0}
    )
    fields["typed_name_digest"] = name_digest(fields.get("typed_name", ""))
    key_id, key = chains.signing_key()
    event = SignatureEvent(previous_hash=head.entry_hash, created_at=timezone.now(), key_id=key_id, **fields)
    event.entry_hash = chain.entry_hash(event.previous_hash, event.chain_fields(), key)
    event.save()
    head.entry_hash = event.entry_hash
    head.entries += 1
    head.save(update_fields=["entry_hash", "entries"])
    chains.anchor_after_commit(selectors.CHAIN, seq=head.entries, digest=event.entry_hash, entry_id=event.pk)
    audit_record(actor=event.person_id, action=f"codex.{event.kind}", obj=event, data={"version": event.version_id})
    return event


# --- Versions --------------------------------------------------------------------------


def codex_version_create(*, actor: User, title: str, introduction: str = "", roles_to_sign=None) -> CodexVersion:
    """A new, empty draft numbered after every existing version."""
    if not actor.is_administrator:
        raise CodexError(_("Only administrators write the codex."))
    with transaction.atomic():
        last = CodexVersion.objects.select_for_update().order_by("-number").first()
        version = CodexVersion(
            number=(last.number + 1) if last else 1, title=title, introduction=introduction, created_by=actor
        )
        if roles_to_sign is not None:
            version.roles_to_sign = list(roles_to_sign)
        version.save()
    return version


def codex_version_revise(*, version: CodexVersion, actor: User) -> CodexVersion:
    """A new draft that starts as a copy of a published version: a revision never edits the original."""
    if not actor.is_administrator:
        raise CodexError(_("Only administrators write the codex."))
    if not version.is_published:
        raise CodexError(_("Only a published version can be revised; edit the draft instead."))
    with transaction.atomic():
        if CodexVersion.objects.drafts().exists():
            raise CodexError(_("There is already a draft. Finish or delete it first."))
        draft = codex_version_create(
            actor=actor, title=version.title, introduction=version.introduction, roles_to_sign=version.roles_to_sign
        )
        for section in version.sections.prefetch_related("principles"):
            copy = CodexSection.objects.create(version=draft, order=section.order, title=section.title)
            CodexPrinciple.objects.bulk_create(
                CodexPrinciple(section=copy, order=p.order, heading=p.heading, text=p.text)
                for p in section.principles.all()
            )
        CodexValue.objects.bulk_create(
            CodexValue(version=draft, order=v.order, name=v.name) for v in version.values.all()
        )
    return draft


def codex_version_publish(
    *,
    version: CodexVersion,
    actor: User,
    change_kind: str,
    published_on: dt.date | None = None,
    notify: bool = True,
) -> CodexVersion:
    """Publish a draft: its text is fingerprinted and frozen. After a material change everyone
    who must sign is asked to sign it; after an editorial one existing signatures carry over."""
    if not actor.is_administrator:
        raise CodexError(_("Only administrators publish the codex."))
    if change_kind not in CodexVersion.ChangeKind.values:
        raise CodexError(_("Say whether the change is material or editorial."))
    with transaction.atomic():
        locked = CodexVersion.objects.select_for_update().get(pk=version.pk)
        if locked.is_published:
            raise CodexError(_("This version is already published."))
        latest = CodexVersion.objects.published().order_by("-number").first()
        if latest is not None and latest.number > locked.number:
            raise CodexError(_("A later version is already published; write a new version instead."))
        text = CodexVersion.objects.with_text().get(pk=locked.pk)
        if not any(section.principles.all() for section in text.sections.all()):
            raise CodexError(_("A version needs at least one section with a principle before it is published."))
        if latest is None:
            change_kind = CodexVersion.ChangeKind.MATERIAL  # the first version: everyone signs
        locked.fingerprint = text.compute_fingerprint()
        locked.status = CodexVersion.Status.PUBLISHED
        locked.change_kind = change_kind
        locked.published_on = published_on or timezone.localdate()
        locked.published_at = timezone.now()
        locked.published_by = actor
        locked.save()
        audit_record(actor=actor, action="codex.published", obj=locked, data={"change": change_kind})
        if notify and change_kind == CodexVersion.ChangeKind.MATERIAL:
            outbox_enqueue("codex.notifications.sign_requests_send", version_id=locked.pk)
    version.refresh_from_db()
    return version


# --- Signatures ----------------------------------------------------------------------


def codex_sign(*, person: User, version: CodexVersion, typed_name: str, has_read: bool) -> SignatureEvent:
    """Sign the version in force: the person ticked that they read it and typed their full name.
    Records who, which version, when, the name and the fingerprint of the exact text."""
    if not selectors.can_sign(person):
        raise CodexError(_("Only politicians, workplace leaders, officials and trio members sign the codex."))
    if not has_read:
        raise CodexError(_("Please confirm that you have read the codex."))
    if not names_match(typed_name, person.full_name):
        raise CodexError(
            _("The name you typed does not match your full name in the portal (%(name)s).") % {"name": person.full_name}
        )
    with transaction.atomic():
        User.objects.select_for_update().get(pk=person.pk)
        current = selectors.current_version()
        if current is None or current.pk != version.pk:
            raise CodexError(_("Only the version of the codex in force can be signed."))
        if selectors.own_signature(person, current) is not None:
            raise CodexError(_("You have already signed this version."))
        fingerprint = CodexVersion.objects.with_text().get(pk=current.pk).compute_fingerprint()
        if fingerprint != current.fingerprint:
            raise CodexError(
                _("The text of this version does not match its published fingerprint. Contact the secretariat.")
            )
        return _append_event(
            kind=SignatureEvent.Kind.SIGN,
            person=person,
            version=current,
            typed_name=re.sub(r"\s+", " ", typed_name).strip(),
            text_fingerprint=fingerprint,
        )


def codex_signature_withdraw(*, signature: SignatureEvent, actor: User) -> SignatureEvent:
    """Withdraw one's own signature: a new entry in the log; nothing is deleted."""
    if signature.person_id != actor.pk:
        raise CodexError(_("Only the person who signed can withdraw the signature."))
    if signature.kind != SignatureEvent.Kind.SIGN:
        raise CodexError(_("Only a signature can be withdrawn."))
    with transaction.atomic():
        User.objects.select_for_update().get(pk=actor.pk)
        if SignatureEvent.objects.filter(withdraws=signature).exists():
            raise CodexError(_("This signature has already been withdrawn."))
        return _append_event(
            kind=SignatureEvent.Kind.WITHDRAW,
            person=actor,
            version=signature.version,
            withdraws=signature,
            text_fingerprint=signature.text_fingerprint,
        )


# --- Mail -------------------------------------------------------------------------------


def codex_sign_mail_send(*, person: User, version: CodexVersion, reminder: bool) -> None:
    """Ask one person to read and sign the version in force."""
    previous = selectors.previous_published(version)
    diff_url = ""
    if previous is not None:
        diff_url = settings.PORTAL_BASE_URL + reverse("codex:version-diff", args=[version.number])
    send_templated_mail(
        "codex/email/sign_request",
        to=[person.email],
        context={
            "person": person,
            "version": version,
            "reminder": reminder,
            "sign_url": settings.PORTAL_BASE_URL + reverse("codex:signature-create"),
            "diff_url": diff_url,
        },
    )


def codex_sign_requests_send(*, version: CodexVersion, now: dt.datetime | None = None) -> int:
    """After a material change: ask everyone who must sign and has not. Counts as this week's reminder."""
    return _remind(version=version, now=now or timezone.now(), reminder=False)


def codex_reminders_send(*, now: dt.datetime | None = None) -> int:
    """The weekly reminder: everyone who still must sign the version in force, never twice
    for the same version within a week. Returns how many were reminded."""
    now = now or timezone.now()
    version = selectors.current_version(on=timezone.localdate(now))
    if version is None:
        return 0
    return _remind(version=version, now=now, reminder=True)


def _remind(*, version: CodexVersion, now: dt.datetime, reminder: bool) -> int:
    with transaction.atomic():
        CodexVersion.objects.select_for_update().get(pk=version.pk)  # one reminder run per version at a time
        recent = SignReminder.objects.filter(version=version, sent_at__gt=now - REMINDER_INTERVAL).values("person_id")
        people = list(selectors.people_still_to_sign(version).exclude(pk__in=recent))
        SignReminder.objects.bulk_create(SignReminder(person=p, version=version, sent_at=now) for p in people)
        for person in people:
            outbox_enqueue(
                "codex.notifications.sign_mail_send", person_id=person.pk, version_id=version.pk, reminder=reminder
            )
    return len(people)


# --- Mirror questions -------------------------------------------------------------------


def mirror_answers_record(*, person: User, occasion_key: str, scores: dict[int, int]) -> int:
    """Record one participant's anonymous answers to the mirror questions after an occasion.

    ``occasion_key`` names the occasion (``"meeting:42"``, ``"visit:7"``); the feature that holds it says, through
    the occasion it registered (``codex.mirror``), who took part, whether it has taken place, its committee and
    its day. A person answers once per occasion, and only one who took part, once it is over. The receipt
    (person, occasion) and the scores (committee, quarter, score) are stored apart with nothing in common, so no
    answer can be traced to a person. Returns the number of scores.
    """
    occasion, obj = mirror.occasion_for_key(occasion_key)
    if occasion is None:
        raise CodexError(_("Unknown occasion."))
    if not occasion.took_part(person, obj):
        raise CodexError(_("Only those who took part can answer the mirror questions."))
    not_yet = occasion.not_yet(obj)
    if not_yet:
        raise CodexError(not_yet)
    committee, occasion_kind, occasion_date = occasion.committee(obj), occasion.kind, occasion.day(obj)
    occasion_key = occasion.key(obj)
    active = {q.pk: q for q in MirrorQuestion.objects.active()}
    answers = []
    for question_id, score in scores.items():
        question = active.get(int(question_id))
        if question is None:
            raise CodexError(_("That question is not asked any more."))
        if score is None or score == "":
            continue  # a question may be skipped
        if int(score) not in range(1, 6):
            raise CodexError(_("Answer each statement on a scale from 1 to 5."))
        answers.append(
            MirrorAnswer(
                question=question,
                committee=committee,
                occasion_kind=occasion_kind,
                quarter=selectors.quarter_start(occasion_date),
                score=int(score),
            )
        )
    if not answers:
        raise CodexError(_("Answer at least one statement."))
    random.shuffle(answers)
    try:
        with transaction.atomic():
            AnswerReceipt.objects.create(person=person, occasion_key=occasion_key)
            MirrorAnswer.objects.bulk_create(answers)
    except IntegrityError:
        raise CodexError(_("You have already answered for this occasion.")) from None
    return len(answers)
