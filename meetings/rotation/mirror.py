"""A committee meeting as an occasion for the codex's mirror questions (registered in ``RotationConfig.ready``):
the committee's members and the host and guest workplaces' leaders answer once the meeting has taken place."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codex.mirror import Occasion
from core import dates

from ..models import Meeting
from . import selectors


class MeetingOccasion(Occasion):
    kind = "meeting"
    intro = _(
        "How did the meeting live up to our codex of trust? Answer each statement from 1 (not at all) to 5 (fully). "
        "Your answers are anonymous: they are stored without your name, and a committee's results are only shown "
        "from five answers."
    )

    def find(self, pk: int):
        return (
            Meeting.objects.select_related("committee", "host", "venue", "venue_workplace")
            .prefetch_related("invitations")
            .filter(pk=pk)
            .first()
        )

    def get_for_user(self, user, pk: int):
        return selectors.get_meeting_for_user(user, pk)

    def took_part(self, person, obj) -> bool:
        return selectors.meeting_role(person, obj)["takes_part"]

    def not_yet(self, obj) -> str | None:
        if obj.starts_at > timezone.now():
            return str(_("The mirror questions open when the meeting has taken place."))
        if not obj.is_held:
            return str(_("The mirror questions open once the meeting is confirmed as held."))
        return None

    def committee(self, obj):
        return obj.committee

    def day(self, obj):
        return obj.local_date

    def lead(self, obj) -> str:
        host = obj.host.name if obj.host else ""
        when = dates.when(obj.starts_at, "date")
        return " · ".join(part for part in (obj.committee.name, host, when) if part)
