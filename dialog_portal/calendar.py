"""My calendar: the signed-in person's visits and committee meetings on one page, and the private feed of both
for their own calendar program. It stands on the top floor because it gathers two independent features."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import feeds, ics
from meetings.models import CalendarFeedToken, Visit
from meetings.rotation.ical import meeting_events
from meetings.rotation.selectors import person_meetings
from meetings.visits import ical as visit_ical
from meetings.visits import selectors as visit_selectors
from meetings.visits import services as visit_services

CALENDAR_PAGE_ITEMS = 50
# The feed holds the events of the last 90 days (from midnight) and everything ahead.
FEED_PAST_DAYS = 90


@login_required
def calendar_detail(request):
    # The page shows what is near (the next and the latest few); the feed holds everything.
    now = timezone.now()
    since = now - dt.timedelta(days=90)
    n = CALENDAR_PAGE_ITEMS
    visits = visit_selectors.person_visits(request.user, since=since)
    coming = Q(ends_at__gte=now, status__in=Visit.ACTIVE_STATUSES)
    meetings = person_meetings(request.user, since=since)
    coming_meeting = Q(ends_at__gte=now, status="scheduled")
    upcoming = sorted(
        [{"visit": v, "at": v.starts_at} for v in visits.filter(coming)[: n + 1]]
        + [{"meeting": m, "at": m.starts_at} for m in meetings.filter(coming_meeting)[: n + 1]],
        key=lambda item: item["at"],
    )
    past_or_off = sorted(
        [{"visit": v, "at": v.starts_at} for v in visits.exclude(coming).order_by("-starts_at")[:n]]
        + [{"meeting": m, "at": m.starts_at} for m in meetings.exclude(coming_meeting).order_by("-starts_at")[:n]],
        key=lambda item: item["at"],
        reverse=True,
    )
    token = CalendarFeedToken.objects.usable().filter(person=request.user).first()
    feed_url = request.build_absolute_uri(token.get_absolute_url()) if token else ""
    return render(
        request,
        "dialog_portal/calendar_detail.html",
        {
            "upcoming": upcoming[:n],
            "more_upcoming": len(upcoming) > n,
            "past_or_off": past_or_off[:n],
            "feed_url": feed_url,
        },
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

    Its ETag is made of the token, the versions of what it shows (meetings/feeds.py) and the day its window of past
    events starts from: an unchanged feed is a 304, or its kept body, after the token's query alone."""
    feed = CalendarFeedToken.objects.usable().select_related("person").filter(token=token).first()
    if feed is None or not feed.person.is_active:
        raise Http404
    person = feed.person
    today = timezone.localdate()
    name = _("Dialogportalen – my calendar")

    def body() -> bytes:
        since = feeds.window_start(FEED_PAST_DAYS, today=today)
        rows = visit_selectors.feed_rows(person, since=since)
        meetings = list(person_meetings(person, since=since))
        events = visit_ical.feed_events(rows) + meeting_events(meetings)
        events.sort(key=lambda e: e.starts_at)
        return ics.calendar(events, name=name, refresh=ics.FEED_REFRESH)

    tag = ics.etag("personal", feed.token, feeds.person_feed_versions(person), today.isoformat())
    response = ics.feed_response(request, tag=tag, body=body, cache_control="private, max-age=300")
    response["X-Robots-Tag"] = "noindex"
    return response
