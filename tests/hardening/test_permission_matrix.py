"""No one let in where they do not belong: every URL of the portal, GET and POST, as each role.

The list of URLs comes from the URL configuration itself. Every named pattern must have an entry in
``EXPECTATIONS``, which says how to point the URL at an object of the world (``conftest.build_world``) and what
each role gets. A new URL without an entry, or an entry for a URL that is gone, fails the suite.

What a role gets is one of these answers:

- ``ALLOW``: the page (2xx) or a redirect somewhere other than the login page.
- ``KEPT``: a POST is answered like ``ALLOW`` but changes nothing: a page that only reads, or a service that
  refuses the person and says why in the page.
- ``LOGIN``: a redirect to the login page (anonymous visitors).
- ``NOT_FOUND``: 404. The portal's usual refusal: what you may not see, you are not told exists.
- ``FORBIDDEN``: 403. Used where the person may know the thing exists but not act on it: an agreement they can
  read but not change, the secretariat's codex and import pages, a signature that is not theirs to give.
- ``NOT_ALLOWED``: 405, a GET on an action that only takes a POST.
- ``INVALID``: 400, a form posted empty to a view that answers bad input with 400 (comments).

Every refused POST (anything but ``ALLOW``) and every GET (but the few in ``GET_RECORDS``) is also checked to
have changed nothing in the portal's tables.
The matrix posts an empty body, except where a valid body is needed to reach the check in the service.
"""

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from .figures import record

pytestmark = pytest.mark.django_db

ALLOW = "allow"
KEPT = "kept"
LOGIN = "login"
NOT_FOUND = "404"
FORBIDDEN = "403"
NOT_ALLOWED = "405"
INVALID = "400"

ROLES = ("anonymous", "administrator", "chair", "member", "other_member", "leader", "other_leader", "trio")
METHODS = ("GET", "POST")

# Top-level prefixes the matrix leaves out, and why. Each must still exist (a stale exclusion fails too).
EXCLUDED = {
    "admin/": "Django's admin guards every page itself (staff and model permissions); its login is allauth's.",
    "konto/": "allauth's own login, sign-up, password and two-factor pages, tested by allauth and tests/meetings.",
    "i18n/": "The language switch: sets a cookie (and a signed-in person's own choice) and redirects; it opens "
    "nothing (tests/dialog_portal/test_language.py).",
}
# Static files are not URL patterns: WhiteNoise serves them before the URL configuration is consulted.

# The portal's own tables: a refused POST must leave every one of them as it was.
STATE_TABLES = sorted(
    model._meta.db_table
    for label in ("meetings", "codex", "agreements")
    for model in apps.get_app_config(label).get_models()
)


def answers(default: str, *, anonymous: str = LOGIN, **roles: str) -> dict[str, str]:
    """Every role gets ``default`` unless named; anonymous visitors go to the login page unless said."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: roles.get(role, anonymous if role == "anonymous" else default) for role in ROLES}


def read_only(get: dict[str, str]) -> dict[str, str]:
    """POST to a page that only reads: answered as a GET, nothing changes."""
    return {role: KEPT if answer == ALLOW else answer for role, answer in get.items()}


def post_only(post: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """An action that takes only POST: a GET gets 405 once signed in."""
    return answers(NOT_ALLOWED), post


PUBLIC = answers(ALLOW, anonymous=ALLOW)
NOWHERE = answers(NOT_FOUND, anonymous=NOT_FOUND)
SIGNED_IN = answers(ALLOW)


def admin_only(refusal: str = NOT_FOUND) -> dict[str, str]:
    return answers(refusal, administrator=ALLOW)


@dataclass(frozen=True)
class Entry:
    """How to build the URL from the world, and what each role gets for GET and for POST."""

    get: dict[str, str]
    post: dict[str, str]
    kwargs: Callable = field(default=lambda w: {})
    data: Callable = field(default=lambda w: {})
    variant: str = ""


def entry(get, post, kwargs=None, data=None, variant=""):
    return Entry(get=get, post=post, kwargs=kwargs or (lambda w: {}), data=data or (lambda w: {}), variant=variant)


def _month(day) -> dict:
    return {"year": day.year, "month": day.month}


def agreement(w_attr: str):
    return lambda w: {"pk": getattr(w, w_attr).pk}


# --- Who sees what ---------------------------------------------------------------------------------------------
# A coming visit booked by the member at the cast's workplace: the participant, the workplace's leader and the
# secretariat see it.
VISIT_SEEN = answers(NOT_FOUND, administrator=ALLOW, member=ALLOW, leader=ALLOW)
# A meeting of the cast's committee hosted by the cast's workplace: the secretariat, the committee, the host's
# leader and trio.
MEETING_SEEN = answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, member=ALLOW, leader=ALLOW, trio=ALLOW)
ONLY_LEADER = answers(NOT_FOUND, leader=ALLOW)
# A draft agreement: only its leaders and the secretariat see it; the secretariat may not write it.
DRAFT_LEADER_WRITES = answers(NOT_FOUND, administrator=FORBIDDEN, leader=ALLOW)
# An agreement in review or approved is read by the secretariat, the committee, the workplace's leader and trio.
REVIEW_READERS = ("administrator", "chair", "member", "leader", "trio")


def in_review(**allowed: str) -> dict[str, str]:
    """An action on an agreement in review: 403 for its readers unless named, 404 for everyone else."""
    return answers(NOT_FOUND, **{**dict.fromkeys(REVIEW_READERS, FORBIDDEN), **allowed})


IN_REVIEW_SEEN = in_review(**dict.fromkeys(REVIEW_READERS, ALLOW))

# A matter of the cast's committee heard at the cast's workplace: the secretariat, the committee, the workplace's
# leader and trio. Its transition pages show to all of them; only the service's person acts (the others are told
# why on the page).
MATTER_SEEN = answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, member=ALLOW, leader=ALLOW, trio=ALLOW)


# A hearing's steps: those who see the hearing but may not take the step get 403 on the confirmation page too.
HEARING_STEP_LEADER = answers(
    NOT_FOUND, administrator=FORBIDDEN, chair=FORBIDDEN, member=FORBIDDEN, trio=FORBIDDEN, leader=ALLOW
)
HEARING_STEP_CHAIR = answers(
    NOT_FOUND, administrator=FORBIDDEN, chair=ALLOW, member=FORBIDDEN, trio=FORBIDDEN, leader=FORBIDDEN
)

PUBLICATION_ANSWERS = answers(
    NOT_FOUND, administrator=FORBIDDEN, chair=FORBIDDEN, member=FORBIDDEN, trio=FORBIDDEN, leader=ALLOW
)


def matter_kept(**allowed: str) -> dict[str, str]:
    """A POST on a matter: those who see it are refused on the page unless named, others get 404."""
    return answers(
        NOT_FOUND, **{**dict.fromkeys(("administrator", "chair", "member", "leader", "trio"), KEPT), **allowed}
    )


# A question from the cast's member to the cast's workplace is seen by the same people as a matter heard there, and a
# POST on it is refused the same way; the committee's list is for its members and the secretariat.
QUESTION_SEEN = MATTER_SEEN
question_kept = matter_kept
COMMITTEE_QUESTIONS = answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, member=ALLOW)
# A shared story of the cast's workplace is seen by the same people as a matter heard there (its leader and trio, the
# committee's politicians, the secretariat), and a POST on it is refused the same way.
STORY_SEEN = MATTER_SEEN
story_kept = matter_kept
# A story waiting for the leader: only its workplace and the secretariat.
STORY_WAITING_SEEN = answers(NOT_FOUND, administrator=ALLOW, leader=ALLOW, trio=ALLOW)
# A challenge of a rule sent to the cast's committee by the cast's leader: the secretariat, the committee, every leader
# and the workplace's trio. A draft: only the workplace's leader and trio, and the secretariat.
CHALLENGE_READERS = ("administrator", "chair", "member", "leader", "other_leader", "trio")
CHALLENGE_SEEN = answers(NOT_FOUND, **dict.fromkeys(CHALLENGE_READERS, ALLOW))
CHALLENGE_DRAFT_SEEN = answers(NOT_FOUND, administrator=ALLOW, leader=ALLOW, trio=ALLOW)


def for_committee(answer: str) -> dict[str, str]:
    """A step of the committee's: the secretariat and the chair get ``answer``; others who see it 403, the rest 404."""
    return answers(
        NOT_FOUND, **{**dict.fromkeys(CHALLENGE_READERS, FORBIDDEN), "administrator": answer, "chair": answer}
    )


EXPECTATIONS: dict[str, Entry | tuple[Entry, ...]] = {
    # --- The project --------------------------------------------------------------------------------------------
    "home": entry(PUBLIC, read_only(PUBLIC)),
    "liveness": entry(PUBLIC, read_only(PUBLIC)),
    "readiness": entry(PUBLIC, read_only(PUBLIC)),
    # What a Danish public site must have, for everyone, signed in or not; they only read (GET and HEAD).
    "accessibility-statement": entry(PUBLIC, answers(NOT_ALLOWED, anonymous=NOT_ALLOWED)),
    "was-redirect": entry(PUBLIC, answers(NOT_ALLOWED, anonymous=NOT_ALLOWED)),
    "privacy-notice": entry(PUBLIC, answers(NOT_ALLOWED, anonymous=NOT_ALLOWED)),
    "brand-css": entry(PUBLIC, answers(NOT_ALLOWED, anonymous=NOT_ALLOWED)),
    "favicon": entry(PUBLIC, answers(NOT_ALLOWED, anonymous=NOT_ALLOWED)),
    # One's login address, shown only: nobody changes their own (the import finds people by it).
    "account_email": entry(SIGNED_IN, answers(NOT_ALLOWED, anonymous=NOT_ALLOWED)),
    # One's logins from the municipality's identity provider, shown only: the secretariat links and unlinks them.
    "socialaccount_connections": entry(SIGNED_IN, answers(NOT_ALLOWED, anonymous=NOT_ALLOWED)),
    # --- The organisation ---------------------------------------------------------------------------------------
    "meetings:committee-list": entry(SIGNED_IN, read_only(SIGNED_IN)),
    "meetings:committee-detail": entry(
        SIGNED_IN, read_only(SIGNED_IN), kwargs=lambda w: {"slug": w.cast.committee.slug}
    ),
    "meetings:workplace-list": entry(SIGNED_IN, read_only(SIGNED_IN)),
    "meetings:workplace-detail": entry(
        SIGNED_IN, read_only(SIGNED_IN), kwargs=lambda w: {"slug": w.cast.workplace.slug}
    ),
    "meetings:organisation-import": entry(admin_only(FORBIDDEN), admin_only(FORBIDDEN)),
    # One's own choice of notices: everyone signed in has the page; an empty POST is kept with the form's errors.
    "meetings:notice-preferences": entry(SIGNED_IN, read_only(SIGNED_IN)),
    # Every signed-in person sees the workplace; only its leader and the secretariat state its hosting wishes.
    "meetings:workplace-wishes": entry(
        answers(FORBIDDEN, administrator=ALLOW, leader=ALLOW),
        answers(FORBIDDEN, administrator=ALLOW, leader=ALLOW),
        kwargs=lambda w: {"slug": w.cast.workplace.slug},
        data=lambda w: {"prefer": ["5"], "avoid": ["7"]},
    ),
    "meetings:outbox-dead-list": entry(admin_only(), read_only(admin_only())),
    "meetings:outbox-retry": entry(*post_only(admin_only()), kwargs=lambda w: {"pk": w.dead_message.pk}),
    # --- Visits -------------------------------------------------------------------------------------------------
    "meetings:visit-finder": entry(SIGNED_IN, read_only(SIGNED_IN)),
    # Anyone signed in sees the booking form; the service books only the committee's politicians.
    "meetings:visit-create": entry(
        SIGNED_IN,
        answers(KEPT, chair=ALLOW, member=ALLOW),
        kwargs=lambda w: {"slot_pk": w.free_slot.pk},
        data=lambda w: {"purpose": "Vi vil gerne se sprogarbejdet."},
    ),
    "meetings:visit-detail": entry(VISIT_SEEN, read_only(VISIT_SEEN), kwargs=lambda w: {"pk": w.visit.pk}),
    "meetings:visit-confirm": entry(ONLY_LEADER, ONLY_LEADER, kwargs=lambda w: {"pk": w.visit.pk}),
    "meetings:visit-decline": entry(ONLY_LEADER, ONLY_LEADER, kwargs=lambda w: {"pk": w.visit.pk}),
    "meetings:visit-cancel": entry(
        answers(NOT_FOUND, member=ALLOW, leader=ALLOW),
        answers(NOT_FOUND, member=ALLOW, leader=ALLOW),
        kwargs=lambda w: {"pk": w.visit.pk},
    ),
    "meetings:visit-move": entry(
        answers(NOT_FOUND, member=ALLOW), answers(NOT_FOUND, member=ALLOW), kwargs=lambda w: {"pk": w.visit.pk}
    ),
    "meetings:visit-feedback": entry(
        answers(NOT_FOUND, member=ALLOW, leader=ALLOW),
        answers(NOT_FOUND, member=ALLOW, leader=ALLOW),
        kwargs=lambda w: {"pk": w.past_visit.pk},
    ),
    # After the visit, the leader or a politician on it says what happened; the secretariat does not (404).
    "meetings:visit-outcome": entry(
        answers(NOT_FOUND, member=ALLOW, leader=ALLOW),
        answers(NOT_FOUND, member=ALLOW, leader=ALLOW),
        kwargs=lambda w: {"pk": w.unconfirmed_visit.pk},
        data=lambda w: {"outcome": "held"},
    ),
    "meetings:visit-ics": entry(VISIT_SEEN, read_only(VISIT_SEEN), kwargs=lambda w: {"pk": w.visit.pk}),
    # The mirror questions are for those who took part: not even the secretariat answers them.
    "meetings:visit-mirror": entry(
        answers(NOT_FOUND, member=ALLOW, leader=ALLOW),
        answers(NOT_FOUND, member=ALLOW, leader=ALLOW),
        kwargs=lambda w: {"pk": w.past_visit.pk},
    ),
    "meetings:workplace-tie-list": entry(SIGNED_IN, SIGNED_IN),
    "meetings:workplace-tie-search": entry(SIGNED_IN, read_only(SIGNED_IN)),
    # The member is on the cast's workplace's waiting list; the chair may join it; everyone else is refused with a
    # message (the member: already in line).
    "meetings:waitlist-join": entry(
        *post_only(answers(KEPT, chair=ALLOW)), kwargs=lambda w: {"slug": w.cast.workplace.slug}
    ),
    "meetings:waitlist-list": entry(SIGNED_IN, read_only(SIGNED_IN)),
    "meetings:waitlist-leave": entry(
        answers(NOT_FOUND, member=ALLOW),
        answers(NOT_FOUND, member=ALLOW),
        kwargs=lambda w: {"pk": w.waitlist_entry.pk},
    ),
    "meetings:workplace-tie-delete": entry(
        answers(NOT_FOUND, member=ALLOW), answers(NOT_FOUND, member=ALLOW), kwargs=lambda w: {"pk": w.tie.pk}
    ),
    "meetings:visit-offer-index": entry(SIGNED_IN, read_only(SIGNED_IN)),
    "meetings:visit-offer-withdraw": entry(ONLY_LEADER, ONLY_LEADER, kwargs=lambda w: {"pk": w.offer.pk}),
    "meetings:visit-slot-list": entry(
        SIGNED_IN, read_only(SIGNED_IN), kwargs=lambda w: {"slug": w.cast.workplace.slug}
    ),
    "meetings:visit-offer-list": entry(
        answers(NOT_FOUND, administrator=ALLOW, leader=ALLOW),
        answers(NOT_FOUND, administrator=KEPT, leader=KEPT),
        kwargs=lambda w: {"slug": w.cast.workplace.slug},
    ),
    "meetings:visit-offer-create": entry(ONLY_LEADER, ONLY_LEADER, kwargs=lambda w: {"slug": w.cast.workplace.slug}),
    "meetings:visit-settings-update": entry(*post_only(ONLY_LEADER), kwargs=lambda w: {"slug": w.cast.workplace.slug}),
    "meetings:calendar-detail": entry(SIGNED_IN, read_only(SIGNED_IN)),
    "meetings:calendar-feed-regenerate": entry(*post_only(SIGNED_IN)),
    "meetings:calendar-feed-revoke": entry(SIGNED_IN, SIGNED_IN),
    # The secret in the address is the key: no login, for calendar apps.
    "meetings:calendar-feed": (
        entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: {"token": w.feed_token.token}, variant="usable"),
        entry(NOWHERE, NOWHERE, kwargs=lambda w: {"token": w.revoked_token.token}, variant="revoked"),
    ),
    "meetings:visit-admin-list": entry(admin_only(), read_only(admin_only())),
    "meetings:visit-export": entry(admin_only(), read_only(admin_only())),
    # The secretariat's search-as-you-type filters: JSON for the visit list's fields, nobody else may search.
    "meetings:visit-admin-workplace-search": entry(admin_only(), read_only(admin_only())),
    "meetings:visit-admin-person-search": entry(admin_only(), read_only(admin_only())),
    # --- Hearings ----------------------------------------------------------------------------------------------------
    "meetings:matter-list": entry(SIGNED_IN, read_only(SIGNED_IN)),
    # The secretariat and a chair see the form (an empty one is refused on the page); others may not register.
    "meetings:matter-create": entry(
        answers(FORBIDDEN, administrator=ALLOW, chair=ALLOW), answers(FORBIDDEN, administrator=KEPT, chair=KEPT)
    ),
    "meetings:matter-detail": entry(MATTER_SEEN, read_only(MATTER_SEEN), kwargs=lambda w: {"pk": w.matter.pk}),
    "meetings:matter-file": entry(MATTER_SEEN, read_only(MATTER_SEEN), kwargs=lambda w: {"pk": w.matter_file.pk}),
    "meetings:hearing-detail": entry(MATTER_SEEN, read_only(MATTER_SEEN), kwargs=lambda w: {"pk": w.hearing.pk}),
    "meetings:hearing-draft": entry(
        *post_only(matter_kept(leader=ALLOW)), kwargs=lambda w: {"pk": w.hearing.pk}, data=lambda w: {"text": "Nyt"}
    ),
    "meetings:hearing-comment": entry(
        *post_only(matter_kept(leader=ALLOW, trio=ALLOW)),
        kwargs=lambda w: {"pk": w.hearing.pk},
        data=lambda w: {"body": "Enig"},
    ),
    # Only the workplace's leader may agree that its response is shown publicly, or withdraw that: others who see the
    # hearing are refused outright (403), also on the confirmation page; the rest get 404.
    "meetings:hearing-publication-agree": entry(
        PUBLICATION_ANSWERS, PUBLICATION_ANSWERS, kwargs=lambda w: {"pk": w.hearing.pk}
    ),
    "meetings:hearing-publication-withdraw": entry(
        PUBLICATION_ANSWERS, PUBLICATION_ANSWERS, kwargs=lambda w: {"pk": w.hearing.pk}
    ),
    "meetings:hearing-submit": entry(HEARING_STEP_LEADER, HEARING_STEP_LEADER, kwargs=lambda w: {"pk": w.hearing.pk}),
    "meetings:hearing-no-comments": entry(
        HEARING_STEP_LEADER, HEARING_STEP_LEADER, kwargs=lambda w: {"pk": w.hearing.pk}
    ),
    "meetings:hearing-present": entry(
        HEARING_STEP_LEADER,
        HEARING_STEP_LEADER,
        kwargs=lambda w: {"pk": w.hearing.pk},
        data=lambda w: {"note": "Ny"},
    ),
    "meetings:presentation-accept": entry(
        HEARING_STEP_CHAIR, HEARING_STEP_CHAIR, kwargs=lambda w: {"pk": w.hearing.pk}, data=lambda w: {"at": "16:30"}
    ),
    "meetings:presentation-decline": entry(
        HEARING_STEP_CHAIR,
        HEARING_STEP_CHAIR,
        kwargs=lambda w: {"pk": w.hearing.pk},
        data=lambda w: {"reason": "Fuldt program"},
    ),
    # Only the secretariat records the decision (and only from the meeting day: an early one is refused on the page).
    "meetings:matter-decide": entry(
        answers(NOT_FOUND, administrator=ALLOW, chair=FORBIDDEN, member=FORBIDDEN, leader=FORBIDDEN, trio=FORBIDDEN),
        answers(NOT_FOUND, administrator=KEPT, chair=FORBIDDEN, member=FORBIDDEN, leader=FORBIDDEN, trio=FORBIDDEN),
        kwargs=lambda w: {"pk": w.matter.pk},
        data=lambda w: {"decision": "Vedtaget"},
    ),
    # --- Questions to a workplace: a question from the member to the cast's workplace -------------------------------
    # The committee's list is for its members and the secretariat; only its members ask (the secretariat reads).
    "meetings:question-list": entry(
        COMMITTEE_QUESTIONS, read_only(COMMITTEE_QUESTIONS), kwargs=lambda w: {"slug": w.cast.committee.slug}
    ),
    "meetings:question-create": entry(
        answers(NOT_FOUND, administrator=FORBIDDEN, chair=ALLOW, member=ALLOW),
        answers(NOT_FOUND, administrator=FORBIDDEN, chair=ALLOW, member=ALLOW),
        kwargs=lambda w: {"slug": w.cast.committee.slug},
    ),
    "meetings:question-detail": entry(QUESTION_SEEN, read_only(QUESTION_SEEN), kwargs=lambda w: {"pk": w.question.pk}),
    # Those who see the question see the confirmation pages; only the workplace's leader answers or passes it on.
    "meetings:question-answer": entry(
        QUESTION_SEEN,
        question_kept(leader=ALLOW),
        kwargs=lambda w: {"pk": w.question.pk},
        data=lambda w: {"text": "Det går bedre."},
    ),
    "meetings:question-pass-on": entry(
        QUESTION_SEEN,
        question_kept(leader=ALLOW),
        kwargs=lambda w: {"pk": w.question.pk},
        data=lambda w: {"name": "Centerchef Jensen", "email": "cj@dalby.example"},
    ),
    # --- Stories ------------------------------------------------------------------------------------------------------
    # Only the workplace's leader and trio write its stories (an empty form is kept with its errors).
    "stories:story-create": entry(
        answers(NOT_FOUND, leader=ALLOW, trio=ALLOW),
        answers(NOT_FOUND, leader=KEPT, trio=KEPT),
        kwargs=lambda w: {"slug": w.cast.workplace.slug},
    ),
    "stories:story-detail": entry(STORY_SEEN, read_only(STORY_SEEN), kwargs=lambda w: {"pk": w.shared_story.pk}),
    # A waiting story is seen by its workplace and the secretariat; only the leader shares it.
    "stories:story-share": entry(
        STORY_WAITING_SEEN,
        answers(NOT_FOUND, administrator=KEPT, leader=ALLOW, trio=KEPT),
        kwargs=lambda w: {"pk": w.story.pk},
    ),
    "stories:story-public": entry(STORY_SEEN, story_kept(leader=ALLOW), kwargs=lambda w: {"pk": w.shared_story.pk}),
    "stories:story-private": entry(STORY_SEEN, story_kept(leader=ALLOW), kwargs=lambda w: {"pk": w.shared_story.pk}),
    "stories:story-hide": entry(
        STORY_SEEN,
        story_kept(administrator=ALLOW),
        kwargs=lambda w: {"pk": w.shared_story.pk},
        data=lambda w: {"reason": "Personoplysninger"},
    ),
    # The photo of a story that is not public: those who see the story; nobody else is told it exists.
    "stories:story-photo": entry(
        {**STORY_SEEN, "anonymous": NOT_FOUND},
        answers(NOT_ALLOWED, anonymous=NOT_ALLOWED),
        kwargs=lambda w: {"pk": w.shared_story.pk},
    ),
    "stories:committee-feed": entry(
        answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, member=ALLOW),
        answers(NOT_ALLOWED),
        kwargs=lambda w: {"slug": w.cast.committee.slug},
    ),
    # The public stories and their Atom feed, for everyone.
    "stories:public-list": entry(
        PUBLIC, answers(NOT_ALLOWED, anonymous=NOT_ALLOWED), kwargs=lambda w: {"slug": w.cast.committee.slug}
    ),
    "stories:public-feed": entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: {"slug": w.cast.committee.slug}),
    # --- The audit log: the secretariat's alone. The export logs itself, so only a GET exports. ------------------
    "auditlog:entry-list": entry(admin_only(), read_only(admin_only())),
    "auditlog:actor-search": entry(admin_only(), read_only(admin_only())),
    "auditlog:entry-export": entry(admin_only(), admin_only(NOT_FOUND) | {"administrator": NOT_ALLOWED}),
    # --- The rotation: the secretariat's planning pages ----------------------------------------------------------
    "meetings:rotation-index": entry(admin_only(), read_only(admin_only())),
    "meetings:planning-run": entry(admin_only(), read_only(admin_only()), kwargs=lambda w: {"pk": w.planning_run.pk}),
    "meetings:planning-run-status": entry(
        admin_only(), read_only(admin_only()), kwargs=lambda w: {"pk": w.planning_run.pk}
    ),
    "meetings:rotation-year": entry(
        admin_only(),
        read_only(admin_only()),
        kwargs=lambda w: {"slug": w.cast.committee.slug, "year": w.draft_year},
    ),
    "meetings:meeting-dates-generate": entry(
        *post_only(admin_only()), kwargs=lambda w: {"slug": w.cast.committee.slug, "year": w.draft_year}
    ),
    "meetings:meeting-date-create": entry(
        admin_only(), admin_only(), kwargs=lambda w: {"slug": w.cast.committee.slug, "year": w.draft_year}
    ),
    "meetings:meeting-date-update": entry(
        admin_only(),
        admin_only(),
        kwargs=lambda w: {"slug": w.cast.committee.slug, "year": w.draft_year, "pk": w.meeting_date.pk},
    ),
    "meetings:meeting-date-delete": entry(
        admin_only(),
        admin_only(),
        kwargs=lambda w: {"slug": w.cast.committee.slug, "year": w.draft_year, "pk": w.meeting_date.pk},
    ),
    "meetings:planning-start": entry(
        *post_only(admin_only()), kwargs=lambda w: {"slug": w.cast.committee.slug, "year": w.draft_year}
    ),
    "meetings:rotation-host-swap": entry(
        admin_only(), admin_only(), kwargs=lambda w: {"plan_pk": w.draft_plan.pk, "planned_pk": w.planned.pk}
    ),
    "meetings:rotation-guest-move": entry(admin_only(), admin_only(), kwargs=lambda w: {"plan_pk": w.draft_plan.pk}),
    "meetings:rotation-publish": entry(admin_only(), admin_only(), kwargs=lambda w: {"plan_pk": w.draft_plan.pk}),
    # --- A published meeting -------------------------------------------------------------------------------------
    "meetings:meeting-detail": entry(MEETING_SEEN, read_only(MEETING_SEEN), kwargs=lambda w: {"pk": w.meeting.pk}),
    "meetings:meeting-edit": entry(admin_only(), admin_only(), kwargs=lambda w: {"pk": w.meeting.pk}),
    # Those who see the meeting see the form; only the host's leader may say what the workplace presents.
    "meetings:meeting-presentation": entry(
        MEETING_SEEN,
        {**read_only(MEETING_SEEN), "leader": ALLOW},
        kwargs=lambda w: {"pk": w.meeting.pk},
        data=lambda w: {"presentation": "Vi viser køkkenet og legepladsen."},
    ),
    # After the meeting, the secretariat or the chair writes the minutes.
    "meetings:meeting-minutes": entry(
        MEETING_SEEN,
        {**read_only(MEETING_SEEN), "administrator": ALLOW, "chair": ALLOW},
        kwargs=lambda w: {"pk": w.past_meeting.pk},
        data=lambda w: {"minutes": "Vi talte om sprogarbejdet og om legepladsen."},
    ),
    # After the meeting, the host's leader, the chair or the secretariat says what happened; the rest of those who
    # see the meeting are refused (403).
    "meetings:meeting-outcome": entry(
        answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, leader=ALLOW, member=FORBIDDEN, trio=FORBIDDEN),
        answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, leader=ALLOW, member=FORBIDDEN, trio=FORBIDDEN),
        kwargs=lambda w: {"pk": w.unconfirmed_meeting.pk},
        data=lambda w: {"outcome": "held"},
    ),
    # Only the host's leader may ask to hand the meeting on.
    "meetings:meeting-cancellation": entry(
        MEETING_SEEN,
        {**read_only(MEETING_SEEN), "leader": ALLOW},
        kwargs=lambda w: {"pk": w.meeting.pk},
        data=lambda w: {"reason": "Vandskade i fællesrummet."},
    ),
    "meetings:meeting-replan": entry(admin_only(), admin_only(), kwargs=lambda w: {"pk": w.meeting.pk}),
    # The committee and the host answer the mirror questions; the host's trio and the secretariat do not.
    "meetings:meeting-mirror": entry(
        answers(NOT_FOUND, chair=ALLOW, member=ALLOW, leader=ALLOW),
        answers(NOT_FOUND, chair=ALLOW, member=ALLOW, leader=ALLOW),
        kwargs=lambda w: {"pk": w.past_meeting.pk},
    ),
    "meetings:meeting-ics": entry(MEETING_SEEN, read_only(MEETING_SEEN), kwargs=lambda w: {"pk": w.meeting.pk}),
    # --- The public plan and the equal-access ledger --------------------------------------------------------------
    "meetings:public-plan-index": entry(PUBLIC, read_only(PUBLIC)),
    "meetings:public-plan": (
        entry(
            PUBLIC,
            read_only(PUBLIC),
            kwargs=lambda w: {"slug": w.cast.committee.slug, "year": w.plan_year},
            variant="published",
        ),
        # A plan in draft is nobody's business yet, not even the secretariat's on the public page.
        entry(
            NOWHERE,
            NOWHERE,
            kwargs=lambda w: {"slug": w.cast.committee.slug, "year": w.draft_year},
            variant="draft",
        ),
    ),
    # The published record a plan was made from (issue 20): public with the plan; a draft has none.
    "meetings:public-plan-inputs": (
        entry(
            PUBLIC,
            read_only(PUBLIC),
            kwargs=lambda w: {"slug": w.cast.committee.slug, "year": w.plan_year},
            variant="published",
        ),
        entry(
            NOWHERE,
            NOWHERE,
            kwargs=lambda w: {"slug": w.cast.committee.slug, "year": w.draft_year},
            variant="draft",
        ),
    ),
    "meetings:public-feed": entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: {"slug": w.cast.committee.slug}),
    # The monthly public ledger: published months for anyone, others for nobody.
    "meetings:public-ledger-index": entry(PUBLIC, read_only(PUBLIC)),
    "meetings:public-ledger": (
        entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: _month(w.ledger_month), variant="published"),
        entry(NOWHERE, NOWHERE, kwargs=lambda w: _month(w.unpublished_month), variant="not published"),
    ),
    "meetings:public-ledger-csv": (
        entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: _month(w.ledger_month), variant="published"),
        entry(NOWHERE, NOWHERE, kwargs=lambda w: _month(w.unpublished_month), variant="not published"),
    ),
    # Politicians see their own committees' ledger; leaders and the trio have none.
    "meetings:ledger": entry(
        answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, member=ALLOW, other_member=ALLOW),
        answers(NOT_FOUND, administrator=KEPT, chair=KEPT, member=KEPT, other_member=KEPT),
    ),
    # --- The codex of trust ---------------------------------------------------------------------------------------
    "codex:codex-detail": entry(PUBLIC, read_only(PUBLIC)),
    "codex:register-detail": entry(PUBLIC, read_only(PUBLIC)),
    "codex:version-list": entry(PUBLIC, read_only(PUBLIC)),
    "codex:version-detail": (
        entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: {"number": w.codex.number}, variant="published"),
        entry(
            answers(NOT_FOUND, anonymous=NOT_FOUND, administrator=ALLOW),
            answers(NOT_FOUND, anonymous=NOT_FOUND, administrator=KEPT),
            kwargs=lambda w: {"number": w.codex_draft.number},
            variant="draft",
        ),
    ),
    "codex:version-diff": (
        entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: {"number": w.codex.number}, variant="published"),
        entry(
            answers(NOT_FOUND, anonymous=NOT_FOUND, administrator=ALLOW),
            answers(NOT_FOUND, anonymous=NOT_FOUND, administrator=KEPT),
            kwargs=lambda w: {"number": w.codex_draft.number},
            variant="draft",
        ),
    ),
    "codex:version-publish": entry(
        admin_only(FORBIDDEN), admin_only(FORBIDDEN), kwargs=lambda w: {"number": w.codex_draft.number}
    ),
    "codex:signature-create": entry(SIGNED_IN, SIGNED_IN),
    "codex:signature-verify": entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: {"pk": w.codex_signature.pk}),
    # Only the signer can withdraw a signature; for anyone else it is not there.
    "codex:signature-withdraw": entry(
        answers(NOT_FOUND, member=ALLOW),
        answers(NOT_FOUND, member=ALLOW),
        kwargs=lambda w: {"pk": w.codex_signature.pk},
    ),
    "codex:chain-verify": entry(admin_only(FORBIDDEN), read_only(admin_only(FORBIDDEN))),
    # The positive list: anyone reads it; the secretariat and the committee's chair add; they and the item's owner
    # (here the leader) change and review it; a removed item is history, changed by nobody. The forms posted empty
    # change nothing.
    "codex:policy-list-index": entry(PUBLIC, read_only(PUBLIC)),
    "codex:policy-list-detail": (
        entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: {"key": w.cast.committee.slug}, variant="committee"),
        entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: {"key": "byraadet"}, variant="city council"),
    ),
    "codex:policy-item-detail": (
        entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: {"pk": w.policy_item.pk}, variant="in force"),
        entry(PUBLIC, read_only(PUBLIC), kwargs=lambda w: {"pk": w.policy_removed.pk}, variant="removed"),
    ),
    "codex:policy-item-create": entry(
        answers(FORBIDDEN, administrator=ALLOW, chair=ALLOW), answers(FORBIDDEN, administrator=KEPT, chair=KEPT)
    ),
    "codex:policy-item-edit": (
        entry(
            answers(FORBIDDEN, administrator=ALLOW, chair=ALLOW, leader=ALLOW),
            answers(FORBIDDEN, administrator=KEPT, chair=KEPT, leader=KEPT),
            kwargs=lambda w: {"pk": w.policy_item.pk},
            variant="in force",
        ),
        entry(answers(FORBIDDEN), answers(FORBIDDEN), kwargs=lambda w: {"pk": w.policy_removed.pk}, variant="removed"),
    ),
    "codex:policy-item-review": (
        entry(
            answers(FORBIDDEN, administrator=ALLOW, chair=ALLOW, leader=ALLOW),
            answers(FORBIDDEN, administrator=KEPT, chair=KEPT, leader=KEPT),
            kwargs=lambda w: {"pk": w.policy_item.pk},
            variant="in force",
        ),
        entry(answers(FORBIDDEN), answers(FORBIDDEN), kwargs=lambda w: {"pk": w.policy_removed.pk}, variant="removed"),
    ),
    # Challenges of rules: every leader sees those sent to a committee and may join them; a draft only its workplace
    # (and the secretariat); the committee sees its own. The chair and the secretariat take the committee's steps;
    # the others who see the challenge are refused with 403, the rest 404.
    "codex:challenge-list": entry(SIGNED_IN, read_only(SIGNED_IN)),
    "codex:challenge-public": entry(PUBLIC, read_only(PUBLIC)),
    "codex:challenge-create": entry(
        answers(FORBIDDEN, leader=ALLOW, other_leader=ALLOW), answers(FORBIDDEN, leader=KEPT, other_leader=KEPT)
    ),
    "codex:challenge-detail": (
        entry(
            CHALLENGE_DRAFT_SEEN,
            read_only(CHALLENGE_DRAFT_SEEN),
            kwargs=lambda w: {"pk": w.challenge_draft.pk},
            variant="draft",
        ),
        entry(CHALLENGE_SEEN, read_only(CHALLENGE_SEEN), kwargs=lambda w: {"pk": w.challenge_sent.pk}, variant="sent"),
    ),
    "codex:challenge-edit": entry(
        answers(NOT_FOUND, administrator=FORBIDDEN, leader=ALLOW, trio=ALLOW),
        answers(NOT_FOUND, administrator=FORBIDDEN, leader=KEPT, trio=KEPT),
        kwargs=lambda w: {"pk": w.challenge_draft.pk},
    ),
    "codex:challenge-submit": entry(
        answers(NOT_FOUND, administrator=FORBIDDEN, trio=FORBIDDEN, leader=ALLOW),
        answers(NOT_FOUND, administrator=FORBIDDEN, trio=FORBIDDEN, leader=ALLOW),
        kwargs=lambda w: {"pk": w.challenge_draft.pk},
    ),
    "codex:challenge-schedule": entry(
        for_committee(ALLOW),
        for_committee(ALLOW),
        kwargs=lambda w: {"pk": w.challenge_sent.pk},
        data=lambda w: {"treated_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat()},
    ),
    "codex:challenge-decide": entry(
        for_committee(ALLOW),
        for_committee(ALLOW),
        kwargs=lambda w: {"pk": w.challenge_scheduled.pk},
        data=lambda w: {"outcome": "rejected", "reason": "Kravet er lovbestemt."},
    ),
    "codex:challenge-evaluate": entry(
        for_committee(ALLOW),
        for_committee(ALLOW),
        kwargs=lambda w: {"pk": w.challenge_trial.pk},
        data=lambda w: {"outcome": "stop", "note": "Det virkede ikke."},
    ),
    # The leader of the challenging workplace sees the page but has nothing to add: the form is refused, kept.
    "codex:challenge-join": entry(
        answers(NOT_FOUND, **{**dict.fromkeys(CHALLENGE_READERS, FORBIDDEN), "leader": ALLOW, "other_leader": ALLOW}),
        answers(NOT_FOUND, **{**dict.fromkeys(CHALLENGE_READERS, FORBIDDEN), "leader": KEPT, "other_leader": ALLOW}),
        kwargs=lambda w: {"pk": w.challenge_sent.pk},
        data=lambda w: {"workplace": w.cast.other_workplace.pk, "hours_per_month": 3},
    ),
    # --- Development agreements -----------------------------------------------------------------------------------
    "agreements:agreement-list": entry(SIGNED_IN, read_only(SIGNED_IN)),
    "agreements:agreement-start": entry(ONLY_LEADER, ONLY_LEADER, kwargs=lambda w: {"slug": w.cast.workplace.slug}),
    "agreements:committee-overview": entry(
        answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, member=ALLOW),
        answers(NOT_FOUND, administrator=KEPT, chair=KEPT, member=KEPT),
        kwargs=lambda w: {"slug": w.cast.committee.slug},
    ),
    "agreements:sharedgoal-list": entry(answers(ALLOW, trio=NOT_FOUND), read_only(answers(ALLOW, trio=NOT_FOUND))),
    "agreements:sharedgoal-create": entry(
        answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, member=ALLOW, other_member=ALLOW),
        answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, member=ALLOW, other_member=ALLOW),
    ),
    # A committee's shared goal is kept by its members and the secretariat; another committee's member may
    # know it exists (the list shows it) but not change it.
    "agreements:sharedgoal-update": entry(
        answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, member=ALLOW, other_member=FORBIDDEN),
        answers(NOT_FOUND, administrator=ALLOW, chair=ALLOW, member=ALLOW, other_member=FORBIDDEN),
        kwargs=lambda w: {"pk": w.shared_goal.pk},
    ),
    "agreements:agreement-detail": (
        entry(
            answers(NOT_FOUND, administrator=ALLOW, leader=ALLOW),
            answers(NOT_FOUND, administrator=KEPT, leader=KEPT),
            kwargs=agreement("draft"),
            variant="draft",
        ),
        # In consultation the workplace talks among itself: the trio reads it, the committee not yet.
        entry(
            answers(NOT_FOUND, administrator=ALLOW, leader=ALLOW, trio=ALLOW),
            answers(NOT_FOUND, administrator=KEPT, leader=KEPT, trio=KEPT),
            kwargs=agreement("in_consultation"),
            variant="consultation",
        ),
        entry(IN_REVIEW_SEEN, read_only(IN_REVIEW_SEEN), kwargs=agreement("in_review"), variant="in-review"),
        entry(SIGNED_IN, read_only(SIGNED_IN), kwargs=agreement("signed"), variant="signed"),
    ),
    "agreements:agreement-print": entry(
        answers(NOT_FOUND, administrator=ALLOW, leader=ALLOW),
        answers(NOT_FOUND, administrator=KEPT, leader=KEPT),
        kwargs=agreement("draft"),
    ),
    "agreements:agreement-pdf": entry(
        answers(NOT_FOUND, administrator=ALLOW, leader=ALLOW),
        answers(NOT_FOUND, administrator=KEPT, leader=KEPT),
        kwargs=agreement("draft"),
    ),
    "agreements:agreement-update": entry(DRAFT_LEADER_WRITES, DRAFT_LEADER_WRITES, kwargs=agreement("draft")),
    "agreements:goal-create": entry(DRAFT_LEADER_WRITES, DRAFT_LEADER_WRITES, kwargs=agreement("draft")),
    "agreements:goal-update": entry(
        DRAFT_LEADER_WRITES, DRAFT_LEADER_WRITES, kwargs=lambda w: {"pk": w.draft.pk, "goal_pk": w.goal.pk}
    ),
    "agreements:goal-delete": entry(
        DRAFT_LEADER_WRITES, DRAFT_LEADER_WRITES, kwargs=lambda w: {"pk": w.draft.pk, "goal_pk": w.goal.pk}
    ),
    "agreements:goal-move": entry(
        *post_only(DRAFT_LEADER_WRITES), kwargs=lambda w: {"pk": w.draft.pk, "goal_pk": w.goal.pk}
    ),
    "agreements:agreement-consultation": entry(DRAFT_LEADER_WRITES, DRAFT_LEADER_WRITES, kwargs=agreement("draft")),
    "agreements:agreement-submit": entry(DRAFT_LEADER_WRITES, DRAFT_LEADER_WRITES, kwargs=agreement("draft")),
    "agreements:agreement-request-changes": entry(
        in_review(chair=ALLOW, member=ALLOW),
        in_review(chair=ALLOW, member=ALLOW),
        kwargs=agreement("in_review"),
    ),
    "agreements:agreement-resubmit": entry(
        in_review(leader=ALLOW),
        in_review(leader=ALLOW),
        kwargs=agreement("in_review"),
    ),
    "agreements:agreement-approve": entry(
        in_review(chair=ALLOW),
        in_review(chair=ALLOW),
        kwargs=agreement("in_review"),
    ),
    # The leader signs for the workplace, the chair for the committee; the others who read it may not.
    "agreements:agreement-sign": entry(
        in_review(chair=ALLOW, leader=ALLOW),
        in_review(chair=ALLOW, leader=ALLOW),
        kwargs=agreement("approved"),
    ),
    "agreements:agreement-activate": entry(
        answers(FORBIDDEN, administrator=ALLOW, leader=ALLOW),
        answers(FORBIDDEN, administrator=ALLOW, leader=ALLOW),
        kwargs=agreement("signed"),
    ),
    "agreements:agreement-close": entry(
        answers(FORBIDDEN, administrator=ALLOW, chair=ALLOW),
        answers(FORBIDDEN, administrator=ALLOW, chair=ALLOW),
        kwargs=agreement("followed_up"),
    ),
    "agreements:agreement-amend": entry(
        answers(FORBIDDEN, leader=ALLOW), answers(FORBIDDEN, leader=ALLOW), kwargs=agreement("active")
    ),
    # In review, the leader and the committee comment; an empty comment is refused with 400.
    "agreements:comment-create": entry(
        *post_only(in_review(leader=INVALID, chair=INVALID, member=INVALID)),
        kwargs=agreement("in_review"),
    ),
    # The comment's author (the member) or the leader marks it resolved.
    "agreements:comment-resolve": entry(
        *post_only(in_review(member=ALLOW, leader=ALLOW)),
        kwargs=lambda w: {"pk": w.comment.pk},
    ),
    "agreements:followup-create": entry(
        answers(FORBIDDEN, chair=ALLOW, member=ALLOW, leader=ALLOW),
        answers(FORBIDDEN, chair=ALLOW, member=ALLOW, leader=ALLOW),
        kwargs=agreement("active"),
    ),
    # Versions and their differences are for the people in the dialogue. Reading one records that it was seen.
    "agreements:version-detail": entry(
        IN_REVIEW_SEEN,
        IN_REVIEW_SEEN,
        kwargs=lambda w: {"pk": w.in_review.pk, "number": w.review_version.number},
    ),
    "agreements:version-diff": entry(
        IN_REVIEW_SEEN,
        IN_REVIEW_SEEN,
        kwargs=lambda w: {"pk": w.in_review.pk, "number": w.review_version.number},
    ),
    "agreements:signature-verify": entry(
        SIGNED_IN, read_only(SIGNED_IN), kwargs=lambda w: {"pk": w.agreement_signature.pk}
    ),
}


# --- The URL configuration ------------------------------------------------------------------------------------------


def url_patterns() -> tuple[dict[str, str], list[str], set[str]]:
    """The named patterns under the project's URL configuration (name -> route), the routes of unnamed patterns
    outside the exclusions, and the excluded prefixes actually found."""
    named: dict[str, str] = {}
    unnamed: list[str] = []
    excluded_seen: set[str] = set()

    def walk(patterns, prefix: str, namespaces: list[str]):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not prefix and str(pattern.pattern) in EXCLUDED:
                    excluded_seen.add(str(pattern.pattern))
                    continue
                walk(pattern.url_patterns, route, namespaces + ([pattern.namespace] if pattern.namespace else []))
            elif pattern.name:
                named[":".join([*namespaces, pattern.name])] = route
            else:
                unnamed.append(route)

    walk(get_resolver().url_patterns, "", [])
    return named, unnamed, excluded_seen


def cases() -> list[tuple[str, Entry]]:
    out = []
    for name, value in EXPECTATIONS.items():
        for item in value if isinstance(value, tuple) else (value,):
            out.append((name, item))
    return out


CASES = cases()
CELLS = [(name, item, method, role) for name, item in CASES for method in METHODS for role in ROLES]


def cell_id(name: str, item: Entry, method: str, role: str) -> str:
    label = f"{name}[{item.variant}]" if item.variant else name
    return f"{label}-{method}-{role}"


# --- Answers and state --------------------------------------------------------------------------------------------


def answer_of(response) -> str:
    code = response.status_code
    if code in (301, 302, 303):
        return LOGIN if urlparse(response["Location"]).path == reverse("account_login") else ALLOW
    if 200 <= code < 300:
        return ALLOW
    return {404: NOT_FOUND, 403: FORBIDDEN, 405: NOT_ALLOWED, 400: INVALID}.get(code, f"HTTP {code}")


# GETs that change something on purpose, and why. Every other GET must leave the portal's tables as they were.
GET_RECORDS = {
    "auditlog:entry-export": "records in the audit log who exported which part of it",
    "agreements:version-detail": "records which version the person has seen, so the next diff starts there",
    "agreements:version-diff": "records which version the person has seen, so the next diff starts there",
}

# Statements that cannot change a table: a refused POST that ran only these changed nothing.
READS = ("SELECT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def state() -> dict[str, str]:
    """A fingerprint of every row of the portal's own tables, per table (plain SQL: this runs a thousand times)."""
    out = {}
    with connection.cursor() as cursor:
        for table in STATE_TABLES:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our own table names)
            rows = sorted(repr(row) for row in cursor.fetchall())
            out[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


RESULTS: Counter = Counter()


@pytest.fixture(scope="module")
def _one_tmp_path(tmp_path_factory):
    return tmp_path_factory.mktemp("permission_matrix")


@pytest.fixture
def tmp_path(_one_tmp_path):
    """The shared settings fixture asks for ``tmp_path``; the cells write no files, and a numbered directory for
    each of 1,500 tests costs seconds (pytest scans all earlier ones to number the next)."""
    return _one_tmp_path


@pytest.fixture(scope="module")
def world_state(world, django_db_blocker):
    with django_db_blocker.unblock():
        return state()


@pytest.fixture(scope="module", autouse=True)
def _record_figures():
    yield
    if RESULTS["cells"]:
        patterns, _unnamed, _excluded = url_patterns()
        record(
            "permission_matrix",
            url_patterns=len(patterns),
            excluded_prefixes=sorted(EXCLUDED),
            cases=len(CASES),
            roles=len(ROLES),
            methods=len(METHODS),
            cells=len(CELLS),
            cells_run=RESULTS["cells"],
            cells_passed=RESULTS["passed"],
            cells_checked_unchanged=RESULTS["state_checked"],
            cells_that_wrote_and_were_compared=RESULTS["state_compared"],
            answers=dict(sorted((k.removeprefix("answer:"), v) for k, v in RESULTS.items() if k.startswith("answer:"))),
            csrf_posts_refused=RESULTS["csrf_refused"],
        )


# --- The tests ------------------------------------------------------------------------------------------------------


def test_every_named_url_has_an_entry_in_the_permission_matrix():
    patterns, unnamed, _excluded = url_patterns()
    missing = sorted(set(patterns) - set(EXPECTATIONS))
    assert not missing, "\n".join(
        f"new URL {name} ({patterns[name]}) has no entry in the permission matrix" for name in missing
    )
    assert not unnamed, f"unnamed URL patterns cannot be in the permission matrix; give them a name: {unnamed}"


def test_every_entry_in_the_permission_matrix_is_a_url_that_exists():
    patterns, _unnamed, excluded = url_patterns()
    stale = sorted(set(EXPECTATIONS) - set(patterns))
    assert not stale, "\n".join(
        f"the permission matrix has an entry for {name}, which no longer exists" for name in stale
    )
    gone = set(EXCLUDED) - excluded
    assert not gone, f"excluded prefixes no longer in the URL configuration: {gone}"


def test_every_entry_names_each_role_once_for_each_method():
    for name, item in CASES:
        for method, table in (("GET", item.get), ("POST", item.post)):
            assert tuple(table) == ROLES, (name, method, tuple(table))
            assert method == "POST" or KEPT not in table.values(), f"{name}: KEPT is a POST answer"


@pytest.mark.parametrize(("name", "item", "method", "role"), CELLS, ids=[cell_id(*cell) for cell in CELLS])
def test_each_role_gets_the_answer_the_matrix_gives_it(client, world, world_state, name, item, method, role):
    RESULTS["cells"] += 1
    expected = (item.get if method == "GET" else item.post)[role]
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    url = reverse(name, kwargs=item.kwargs(world))
    # A refused POST changes nothing; nor does any GET, except the few that record a reading on purpose.
    checks_state = (method == "POST" and expected != ALLOW) or (method == "GET" and name not in GET_RECORDS)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url) if method == "GET" else client.post(url, item.data(world))
    got = answer_of(response)
    if expected == KEPT and got == ALLOW:
        got = KEPT
    assert got == expected, (
        f"{role} {method} {url} ({name}): expected {expected}, got {got} (HTTP {response.status_code}"
        f"{', to ' + response['Location'] if response.has_header('Location') else ''})"
    )
    if checks_state and any(not q["sql"].lstrip().upper().startswith(READS) for q in queries.captured_queries):
        # Something was written (if only a session): every test starts from the world as built (the one before
        # was rolled back), so compare the portal's tables with that.
        after = state()
        changed = sorted(table for table in world_state if world_state[table] != after[table])
        assert not changed, f"{role} {method} {url} ({name}) answered {got} but changed {changed}"
        RESULTS["state_compared"] += 1
    RESULTS["state_checked"] += checks_state
    RESULTS[f"answer:{expected}"] += 1
    RESULTS["passed"] += 1


def test_every_url_refuses_a_post_without_a_csrf_token(world):
    """Logged in as the administrator and as the leader (together they reach every form), and anonymously."""
    from django.utils import translation

    with translation.override("da"):
        csrf_page = translation.gettext("The form had expired").encode()  # the portal's own, translated page
    refused = 0
    problems = []
    for role in ("anonymous", "administrator", "leader"):
        client = Client(enforce_csrf_checks=True)
        if role != "anonymous":
            client.force_login(getattr(world.cast, role))
        before = state()
        for name, item in CASES:
            url = reverse(name, kwargs=item.kwargs(world))
            response = client.post(url, item.data(world))
            if response.status_code == 403 and csrf_page in response.content:
                refused += 1
            else:
                problems.append(f"{role} POST {url} ({name}) without a CSRF token: HTTP {response.status_code}")
        assert state() == before, f"a POST without a CSRF token changed something as {role}"
    RESULTS["csrf_refused"] = refused
    assert not problems, "\n".join(problems)
