"""Codex fixtures: a published version with sections, principles and values."""

import datetime as dt

import pytest
from django.db import models

from codex import services
from codex.models import CodexPrinciple, CodexSection, CodexValue


def write_draft(administrator, *, title="Kodeks for tillid", sections=None, values=None, roles_to_sign=None):
    draft = services.codex_version_create(
        actor=administrator,
        title=title,
        introduction="Kodekset er spillereglerne for *tillid*.",
        roles_to_sign=roles_to_sign,
    )
    sections = sections or {
        "Politikerne sætter rammerne": [("Overordnede mål", "Politikerne beslutter de overordnede mål.")],
        "Forvaltningen gennemfører": [("Effekt frem for proces", "Vi måler på effekter.")],
    }
    for order, (section_title, principles) in enumerate(sections.items()):
        section = CodexSection.objects.create(version=draft, order=order, title=section_title)
        for p_order, (heading, text) in enumerate(principles):
            CodexPrinciple.objects.create(section=section, order=p_order, heading=heading, text=text)
    for order, name in enumerate(values or ["Sandhed", "Faglighed"]):
        CodexValue.objects.create(version=draft, order=order, name=name)
    return draft


def publish(administrator, draft, *, change_kind="material", published_on=None):
    return services.codex_version_publish(
        version=draft,
        actor=administrator,
        change_kind=change_kind,
        published_on=published_on or dt.date.today() - dt.timedelta(days=1),
    )


def revise(administrator, version, *, change_kind="material", edit=None):
    """A new version from a published one, changed by ``edit(draft)`` and published."""
    draft = services.codex_version_revise(version=version, actor=administrator)
    if edit:
        edit(draft)
    return publish(administrator, draft, change_kind=change_kind)


def sign(person, version):
    return services.codex_sign(person=person, version=version, typed_name=person.full_name, has_read=True)


GATE_STATES = ["signed", "unsigned", "in_grace", "after_grace"]


def gate_state(administrator, people, state: str, *, grace_days: int = 14):
    """Publish a codex and leave ``people`` in one of the gate's states: "signed" the version in force, "unsigned",
    "in_grace" (they signed the version before a material change published three days ago) or "after_grace" (the
    same, but the change was published ``grace_days`` days ago, so today the gate is closed for them)."""
    today = dt.date.today()
    first = publish(administrator, write_draft(administrator), published_on=today - dt.timedelta(days=60))
    if state == "unsigned":
        return first
    for person in people:
        sign(person, first)
    if state == "signed":
        return first
    draft = services.codex_version_revise(version=first, actor=administrator)
    days_ago = 3 if state == "in_grace" else grace_days
    return publish(administrator, draft, change_kind="material", published_on=today - dt.timedelta(days=days_ago))


def gate_open(state: str) -> bool:
    return state in ("signed", "in_grace")


def tamper(queryset, **changes) -> int:
    """Change rows behind the portal's back, as SQL typed into the database would: the model layer refuses
    any change to a published version, so only this path is left, and the checks must catch it."""
    return models.QuerySet.update(queryset, **changes)


@pytest.fixture
def version(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return publish(cast.administrator, write_draft(cast.administrator))


def held_meeting(cast, *, on=None, guests=()):
    """A committee meeting of ``cast.committee`` at ``cast.workplace`` on the day ``on`` (by default one that began a
    minute ago), confirmed as held: an occasion for the mirror questions. ``guests`` are workplaces invited as
    guests."""
    from django.utils import timezone

    from meetings.models import Meeting, MeetingInvitation, RotationPlan

    start = (
        timezone.make_aware(dt.datetime.combine(on, dt.time(10))) if on else timezone.now() - dt.timedelta(minutes=1)
    )
    plan, _created = RotationPlan.objects.get_or_create(
        committee=cast.committee,
        year=start.year,
        defaults={"status": RotationPlan.Status.PUBLISHED, "created_by": cast.administrator},
    )
    meeting = Meeting.objects.create(
        committee=cast.committee,
        plan=plan,
        host=cast.workplace,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        address="Solsikkevej 1",
        outcome=Meeting.Outcome.HELD,
    )
    for workplace in guests:
        MeetingInvitation.objects.create(meeting=meeting, workplace=workplace)
    return meeting
