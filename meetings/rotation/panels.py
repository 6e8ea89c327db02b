"""What the rotation adds to the organisation's pages (registered in ``RotationConfig.ready``): a committee's and a
workplace's published meetings, each linked to its page."""

from django.template.loader import render_to_string
from django.utils import timezone

from ..models import Committee, Workplace
from . import selectors


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


def workplace_meetings_panel(request, workplace: Workplace) -> str:
    """The meetings the workplace hosts or is invited to, on its page (``core.registry.workplace_panels``)."""
    meetings = selectors.workplace_meetings(request.user, workplace)
    if not meetings:
        return ""
    return render_to_string(
        "meetings/rotation/_meetings_panel.html",
        {"meetings": meetings, "workplace": workplace, "panel_id": f"workplace-meetings-{workplace.pk}"},
        request=request,
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
