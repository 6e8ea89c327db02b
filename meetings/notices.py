"""Notices: the one API by which a feature tells a person something, by the choice the person made for its channel.

A feature registers its channel once (in its ``AppConfig.ready``)::

    notice_channels.register("questions", NoticeChannel(label=_("Questions to workplaces")))

and inside the service's transaction calls::

    notice_send(person=leader, channel="questions", title=format_lazy(_("New question: {}"), question.title),
                text=question.text[:300], url=question.get_absolute_url())

By the person's choice for the channel the notice is e-mailed at once (through the outbox, after commit), kept for
the weekly digest (the default), or dropped. ``title`` and ``text`` may be lazy translations: they are made in the
person's language. ``template`` names a feature's own e-mail (``<prefix>_subject.txt``/``_message.txt``/
``_message.html``), rendered with ``context`` (JSON values only: it goes through the outbox) and ``person``,
``title``, ``text``, ``url``; without it the plain notice e-mail is used.

The weekly beat job (``notice-digests``) sends each person one e-mail with everything their channels kept for
them since their last digest, and sends nothing to a person with nothing new. See docs/notices.md.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.mail import recipient_language, send_templated_mail
from core.outbox import outbox_enqueue
from core.registry import DigestItem, notice_channels

from .errors import MeetingsError
from .models import NoticeChoice, NoticeDigest, NoticeItem, NoticePreference, User

NOTICE_MAIL = "meetings.notices.notice_mail_send"
DIGEST_MAIL = "meetings.notices.notice_digest_mail_send"
PLAIN_TEMPLATE = "meetings/notices/email/notice"
# A person's first digest covers at most this far back.
FIRST_DIGEST_SPAN = dt.timedelta(days=7)


def notice_choice(person, channel: str) -> str:
    """The person's choice for the channel: the weekly digest unless they chose otherwise."""
    chosen = NoticePreference.objects.filter(person=person, channel=channel).values_list("choice", flat=True).first()
    return chosen or NoticeChoice.DIGEST


def notice_choices(person) -> dict[str, str]:
    """Every registered channel that applies to the person, with their choice for it."""
    chosen = dict(NoticePreference.objects.filter(person=person).values_list("channel", "choice"))
    return {
        key: chosen.get(key, NoticeChoice.DIGEST)
        for key, channel in notice_channels.items()
        if channel.applies_to is None or channel.applies_to(person)
    }


def _in_language(person, value) -> str:
    with translation.override(recipient_language([person.email], {"person": person})):
        return str(value) if value else ""


def notice_send(
    *,
    person,
    channel: str,
    title,
    text="",
    url: str = "",
    template: str = PLAIN_TEMPLATE,
    context: dict | None = None,
) -> str:
    """Tell ``person`` by their choice for ``channel``. Returns what happened: "now", "digest" or "none".

    Call it inside the service's transaction: the e-mail leaves after commit, the digest item is saved with the
    change, and neither happens if the change rolls back. A person who is not active hears nothing."""
    if channel not in notice_channels:
        raise KeyError(f"{channel!r} is not a registered notice channel")
    if not person.is_active:
        return NoticeChoice.NONE
    choice = notice_choice(person, channel)
    if choice == NoticeChoice.NOW:
        outbox_enqueue(
            NOTICE_MAIL,
            person_id=person.pk,
            channel=channel,
            template=template,
            context=context or {},
            title=_in_language(person, title),
            text=_in_language(person, text),
            url=url,
        )
    elif choice == NoticeChoice.DIGEST and notice_channels[channel].digest_provider is None:
        NoticeItem.objects.create(
            person=person,
            channel=channel,
            title=_in_language(person, title)[:300],
            text=_in_language(person, text),
            url=url[:500],
        )
    return choice


def notice_preferences_set(*, person, choices: dict[str, str]) -> list[str]:
    """Save the person's choice per channel; returns the channels that changed. Unknown channels or choices are
    refused (``MeetingsError``), and nothing is saved then."""
    valid = set(NoticeChoice.values)
    offered = notice_choices(person)
    for channel, choice in choices.items():
        if channel not in offered or choice not in valid:
            raise MeetingsError(_("Choose one of the offered choices for each kind of notice."))
    changed = []
    with transaction.atomic():
        for channel, choice in choices.items():
            if offered[channel] == choice:
                continue
            NoticePreference.objects.update_or_create(
                person=person, channel=channel, defaults={"choice": choice, "changed_at": timezone.now()}
            )
            changed.append(channel)
        if changed:
            audit_record(
                actor=person,
                action="notices.preferences_set",
                obj=person,
                data={channel: choices[channel] for channel in changed},
            )
    return changed


def notice_mail_send(
    *, person_id: int, channel: str, template: str, context: dict, title: str, text: str, url: str
) -> bool:
    """The outbox's handler for a notice e-mailed at once."""
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        return False
    send_templated_mail(
        template,
        to=[person.email],
        context={**context, "person": person, "title": title, "text": text, "url": _absolute(url)},
    )
    return True


def _absolute(url: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{url}" if url.startswith("/") else url


def _digest_items(person, channels: list[str], since, until) -> tuple[list[dict], list[int]]:
    """The person's items for the period: those queued for them and those the channels' providers find."""
    items: list[dict] = []
    queued = list(
        NoticeItem.objects.filter(person=person, digest__isnull=True, channel__in=channels, created_at__lt=until)
    )
    for item in queued:
        items.append(
            {"channel": item.channel, "title": item.title, "text": item.text, "url": item.url, "when": item.created_at}
        )
    with translation.override(recipient_language([person.email], {"person": person})):
        for key in channels:
            provider = notice_channels[key].digest_provider
            if provider is None:
                continue
            for found in provider(person, since, until):
                found = DigestItem(*found)
                items.append(
                    {
                        "channel": key,
                        "title": str(found.title),
                        "text": str(found.text or ""),
                        "url": found.url or "",
                        "when": found.when,
                    }
                )
    order = list(channels)
    items.sort(key=lambda i: (order.index(i["channel"]), i["when"]))
    for item in items:
        item["when"] = item["when"].isoformat() if hasattr(item["when"], "isoformat") else str(item["when"])
    return items, [item.pk for item in queued]


def notice_digests_send(*, now: dt.datetime | None = None) -> int:
    """The weekly digest: for each active person, one e-mail with everything their digest channels have for them
    since their last digest. A person with nothing new gets nothing. Returns the number of digests made.

    Each person's digest is made in its own transaction and records the period it covers, so a second run in the
    same week finds nothing new and sends nothing."""
    until = now or timezone.now()
    made = 0
    for person in User.objects.filter(is_active=True).order_by("pk"):
        channels = [key for key, choice in notice_choices(person).items() if choice == NoticeChoice.DIGEST]
        if not channels:
            continue
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=person.pk).first()
            last = NoticeDigest.objects.filter(person=person).values_list("until", flat=True).first()
            since = last or until - FIRST_DIGEST_SPAN
            if since >= until:
                continue
            items, queued_ids = _digest_items(person, channels, since, until)
            if not items:
                continue
            digest = NoticeDigest.objects.create(person=person, since=since, until=until, items=items)
            NoticeItem.objects.filter(pk__in=queued_ids).update(digest=digest)
            outbox_enqueue(DIGEST_MAIL, digest_id=digest.pk)
            made += 1
    return made


def notice_digest_mail_send(*, digest_id: int) -> bool:
    """The outbox's handler for one weekly digest."""
    digest = NoticeDigest.objects.select_related("person").filter(pk=digest_id).first()
    if digest is None or not digest.person.is_active or not digest.items:
        return False
    groups: dict[str, dict] = {}
    for item in digest.items:
        channel = notice_channels.get(item["channel"])
        group = groups.setdefault(
            item["channel"], {"label": channel.label if channel else item["channel"], "items": []}
        )
        group["items"].append({**item, "url": _absolute(item["url"]), "when": dt.datetime.fromisoformat(item["when"])})
    send_templated_mail(
        "meetings/notices/email/digest",
        to=[digest.person.email],
        context={"person": digest.person, "digest": digest, "groups": list(groups.values())},
    )
    return True
