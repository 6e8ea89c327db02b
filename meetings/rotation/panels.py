"""What the rotation adds to the organisation's pages (registered in ``RotationConfig.ready``): a committee's and a
workplace's published meetings, each linked to its page."""

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from core.registry import KeptPanel
from core.versioned_cache import model_version_keys

from ..models import Committee, Meeting, MeetingInvitation, RotationPlan, Workplace
from . import selectors

# What the workplace's meetings panel reads: a write to any of these replaces the kept panel.
_WORKPLACE_MEETINGS_MODELS = (Meeting, MeetingInvitation, RotationPlan, Committee, Workplace)


def committee_meetings_panel(request, committee: Committee) -> str:
    """The committee's meetings on its page (``core.registry.committee_panels``); nothing for those who may open
    none of them."""
    meetings = selectors.committee_meetings(request.user, committee)
    is_admin = request.user.roles.is_administrator
    if not meetings and not is_admin:
        return ""
    return render_to_string(
        "meetings/rotation/_meetings_panel.html",
        {
            "meetings": meetings,
            "committee": committee,
            "plan_year": timezone.localdate().year if is_admin else None,
            "panel_id": f"committee-meetings-{committee.pk}",
        },
        request=request,
    )


def workplace_meetings_panel(request, workplace: Workplace) -> KeptPanel | str:
    """The meetings the workplace hosts or is invited to, on its page (``core.registry.workplace_panels``). Kept per
    workplace, language and what decides which meetings the person may open (``Meeting.objects.visible_to``: the
    secretariat all, else their committees and workplaces) under the versions of what it reads, until a listed
    meeting ends or leaves the year back (issue 19). A leader may also open the meetings where they present a matter
    (the hearings' rows): their panel is built on each request."""
    user = request.user
    roles = user.roles

    def compute() -> tuple[str, dt.datetime | None]:
        now = timezone.now()
        meetings = selectors.workplace_meetings(user, workplace, now=now)
        if not meetings:
            return "", None
        html = render_to_string(
            "meetings/rotation/_meetings_panel.html",
            {"meetings": meetings, "workplace": workplace, "panel_id": f"workplace-meetings-{workplace.pk}"},
        )
        ends = [meeting.ends_at for meeting in meetings]
        leaves = [end + dt.timedelta(days=selectors.PANEL_PAST_DAYS) for end in ends]
        return html, min([end for end in ends if end > now] + leaves)

    if roles.is_leader and not roles.is_administrator:
        return compute()[0]
    if roles.is_administrator:
        sees = "all"
    else:
        sees = "{}:{}".format(
            *(",".join(map(str, sorted(ids))) for ids in (roles.committee_ids, roles.workplace_roles))
        )
    return KeptPanel(
        f"workplace-meetings-panel1:{workplace.pk}:{get_language()}:{sees}",
        model_version_keys(*_WORKPLACE_MEETINGS_MODELS),
        compute,
    )


def workplace_wishes_panel(request, workplace: Workplace) -> str:
    """The workplace's wishes for the months it hosts in, for its leaders and the secretariat (who may change them)."""
    roles = request.user.roles
    if not (roles.is_administrator or workplace.pk in roles.led_workplace_ids):
        return ""
    return render_to_string(
        "meetings/rotation/_wishes_panel.html",
        {"workplace": workplace, "wishes": list(workplace.hosting_wishes.all())},
        request=request,
    )
