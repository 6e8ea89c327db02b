"""My calendar: the signed-in person's visits and committee meetings on one page, and the private feed of both
for their own calendar program. It stands on the top floor because it gathers two independent features."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import dates
from core.mail import recipient_language
from core.versioned_cache import versioned_get_or_set
from meetings import feeds, ics
from meetings.models import CalendarFeedToken, Meeting, Visit
from meetings.rotation.ical import meeting_row_events
from meetings.rotation.selectors import person_meeting_feed_rows, person_meeting_rows
from meetings.visits import ical as visit_ical
from meetings.visits import selectors as visit_selectors
from meetings.visits import services as visit_services

CALENDAR_PAGE_ITEMS = 50
# The feed holds the events of the last 90 days (from midnight) and everything ahead.
FEED_PAST_DAYS = 90


VISIT_BADGES = {"confirmed": "text-bg-success", "requested": "text-bg-warning", "held": "text-bg-info"}
_PK = 987654321  # reversed once per list, then replaced by each row's key


def _url_pattern(name: str):
    url = reverse(name, args=[_PK])
    return lambda pk: url.replace(str(_PK), str(pk))


def calendar_rows(items, *, names, now, weeks=False) -> list[dict]:
    """The calendar's rows as finished strings, so the template only prints them (issue 19): a hundred rows
    through the template language's lookups, filters and translations cost more than the queries. The texts are
    the same as ``includes/_calendar_items.html`` writes for visits and meetings elsewhere."""
    visit_url = _url_pattern("meetings:visit-detail")
    meeting_url = _url_pattern("meetings:meeting-detail")
    visit_labels = dict(Visit.Status.choices)
    outcome_labels = dict(Meeting.Outcome.choices)
    no_host = _("no host")
    weeks_seen: dict = {}  # a week's heading is worked out once per day, however many rows it has
    times: dict = {}
    rows = []
    last_week = None

    def week_of(local):
        key = local.date()
        if key not in weeks_seen:
            weeks_seen[key] = capfirst(dates.week_span(key))
        return weeks_seen[key]

    def clock(local):
        key = (local.hour, local.minute)
        if key not in times:
            times[key] = dates.when(local, "time")
        return times[key]

    for item in items:
        start = timezone.localtime(item["starts_at"])
        end = timezone.localtime(item["ends_at"])
        row = {"pk": item["pk"], "kind": item["kind"]}
        if weeks and (week_words := week_of(start)) != last_week:
            row["week"] = last_week = week_words
        when = dates.when(start, "weekday_datetime") + "–" + clock(end)
        if item["kind"] == "meeting":
            row["url"] = meeting_url(item["pk"])
            row["title"] = _("%(committee)s at %(host)s") % {
                "committee": item["committee__name"],
                "host": item["host__name"] or no_host,
            }
            row["cancelled"] = item["status"] == Meeting.Status.CANCELLED
            row["unconfirmed"] = not row["cancelled"] and not item["outcome"] and item["ends_at"] < now
            row["outcome"] = (
                outcome_labels.get(item["outcome"], item["outcome"])
                if item["outcome"] and item["outcome"] != Meeting.Outcome.HELD
                else ""
            )
            room = item["venue__name"] or item["venue_workplace__name"]
            row["details"] = f"{when} · {room + ', ' if room else ''}{item['address']}"
        else:
            row["url"] = visit_url(item["pk"])
            row["title"] = item["workplace__name"]
            row["status"] = item["status"]
            row["badge"] = VISIT_BADGES.get(item["status"], "text-bg-secondary")
            row["status_label"] = visit_labels.get(item["status"], item["status"])
            row["unconfirmed"] = item["status"] == Visit.Status.CONFIRMED and item["ends_at"] <= now
            row["details"] = f"{when} · {', '.join(names.get(item['pk'], ()))}"
        rows.append(row)
    return rows


def _calendar_lists(user, now: dt.datetime) -> dict:
    """The page's two lists as finished HTML (links and plain text only: no form, no token, no message), and the
    moment they go out of date with time alone (``until``, None when nothing shown ever does)."""
    # The page shows what is near (the next and the latest few); the feed holds everything.
    since = now - dt.timedelta(days=90)
    n = CALENDAR_PAGE_ITEMS
    visits = visit_selectors.person_visit_rows(user, since=since)
    coming = Q(ends_at__gte=now, status__in=Visit.ACTIVE_STATUSES)
    meetings = person_meeting_rows(user, since=since)
    coming_meeting = Q(ends_at__gte=now, status="scheduled")
    visits_coming = list(visits.filter(coming)[: n + 1])
    meetings_coming = list(meetings.filter(coming_meeting)[: n + 1])
    visits_past = list(visits.exclude(coming).order_by("-starts_at")[:n])
    meetings_past = list(meetings.exclude(coming_meeting).order_by("-starts_at")[:n])
    names = visit_selectors.participant_names([v["pk"] for v in visits_coming + visits_past])
    upcoming = sorted(
        [{**v, "kind": "visit"} for v in visits_coming] + [{**m, "kind": "meeting"} for m in meetings_coming],
        key=lambda item: item["starts_at"],
    )
    past_or_off = sorted(
        [{**v, "kind": "visit"} for v in visits_past] + [{**m, "kind": "meeting"} for m in meetings_past],
        key=lambda item: item["starts_at"],
        reverse=True,
    )
    html = render_to_string(
        "dialog_portal/_calendar_lists.html",
        {
            "upcoming": calendar_rows(upcoming[:n], names=names, now=now, weeks=True),
            "more_upcoming": len(upcoming) > n,
            "past_or_off": calendar_rows(past_or_off[:n], names=names, now=now),
        },
    )
    # Time alone changes the lists when a row read here ends (it leaves "Coming", or shows as not confirmed), when
    # one leaves the 90 days' window, or when a coming row not read here could end: never before the last read
    # one starts.
    moments = [
        item["ends_at"] if item["ends_at"] >= now else item["ends_at"] + dt.timedelta(days=90)
        for item in upcoming + past_or_off
    ]
    moments += [rows[-1]["starts_at"] for rows in (visits_coming, meetings_coming) if len(rows) > n]
    return {"html": html, "until": min(moments, default=None)}


@login_required
def calendar_detail(request):
    """The lists are kept per person and language under the versions of their feed, which shows the same visits
    and meetings (meetings/feeds.py): any change to what they show replaces one, and time is bounded by ``until``."""
    user = request.user
    lists = versioned_get_or_set(
        f"calendar:lists:{user.pk}:{translation.get_language()}",
        feeds.person_feed_version_keys(user),
        lambda: _calendar_lists(user, timezone.now()),
        fresh=lambda value: value["until"] is None or timezone.now() < value["until"],
    )
    token = CalendarFeedToken.objects.usable().filter(person=user).first()
    feed_url = request.build_absolute_uri(token.get_absolute_url()) if token else ""
    return render(
        request,
        "dialog_portal/calendar_detail.html",
        {"lists": mark_safe(lists["html"]), "feed_url": feed_url},  # noqa: S308 - rendered by our own template
    )


@login_required
@require_POST
def calendar_feed_regenerate(request):
    visit_services.calendar_token_regenerate(person=request.user)
    messages.success(request, _("You have a new calendar address. The old one no longer works."))
    return redirect("meetings:calendar-detail")


@login_required
def calendar_feed_revoke(request):
    """Stopping the address cannot be undone (only a new address can be made): ask first, act on the POST."""
    if request.method == "POST":
        visit_services.calendar_token_revoke(person=request.user)
        messages.success(request, _("Your calendar address no longer works."))
        return redirect("meetings:calendar-detail")
    has_address = CalendarFeedToken.objects.usable().filter(person=request.user).exists()
    return render(request, "dialog_portal/calendar_feed_revoke.html", {"has_address": has_address})


def calendar_feed(request, token):
    """The private feed: no login, the secret token is the key; 404 for an unknown or revoked one.

    A calendar program fetches it without a session, so it speaks the language the person chose (``User.language``,
    Danish until they choose), not the request's. Its ETag is made of that language, the token, the versions of what
    it shows (meetings/feeds.py) and the day its window of past events starts from: an unchanged feed is a 304, or its
    kept body, after the token's query alone."""
    feed = CalendarFeedToken.objects.usable().select_related("person").filter(token=token).first()
    if feed is None or not feed.person.is_active:
        raise Http404
    person = feed.person
    today = timezone.localdate()
    language = recipient_language([], {"person": person})

    def body() -> bytes:
        since = feeds.window_start(FEED_PAST_DAYS, today=today)
        rows = visit_selectors.feed_rows(person, since=since)
        meetings = person_meeting_feed_rows(person, since=since)
        events = visit_ical.feed_events(rows) + meeting_row_events(meetings)
        events.sort(key=lambda e: e.starts_at)
        return ics.calendar(events, name=_("Dialogportalen – my calendar"), refresh=ics.FEED_REFRESH)

    with translation.override(language):
        tag = ics.etag("personal", feed.token, feeds.person_feed_versions(person), today.isoformat())
        response = ics.feed_response(request, tag=tag, body=body, cache_control="private, max-age=300")
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    return response
