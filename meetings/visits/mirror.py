"""A visit as an occasion for the codex's mirror questions (registered in ``VisitsConfig.ready``): those who took
part and the workplace's leaders answer once the visit is confirmed as held; the answers count towards the responsible
committee the visiting politicians sit in."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codex.mirror import Occasion
from core import dates

from ..models import Visit
from . import selectors


def committee_for(visit: Visit):
    """The responsible committee the visiting politicians sit in (the workplace's first otherwise)."""
    workplace_committees = list(visit.workplace.committees.all())
    participant_ids = {p.person_id for p in visit.participants.all()}
    for committee in workplace_committees:
        if committee.memberships.current().filter(user_id__in=participant_ids).exists():
            return committee
    return workplace_committees[0] if workplace_committees else None


class VisitOccasion(Occasion):
    kind = "visit"
    intro = _(
        "How did the visit live up to our codex of trust? Answer each statement from 1 (not at all) to 5 (fully). "
        "Your answers are anonymous: they are stored without your name, and a committee's results are only shown "
        "from five answers."
    )
    answered = _("You have already answered for this visit. Thank you.")

    def find(self, pk: int):
        return Visit.objects.select_related("workplace").prefetch_related("participants").filter(pk=pk).first()

    def get_for_user(self, user, pk: int):
        return selectors.get_visit_for_user(user, pk)

    def took_part(self, person, obj) -> bool:
        """Its politicians and the workplace's leaders (``visit_role``)."""
        can = selectors.visit_role(person, obj)
        return can["is_participant"] or can["is_leader"]

    def not_yet(self, obj) -> str | None:
        """The questions follow from "held": once the leader or a politician has confirmed the visit took place."""
        if obj.status != Visit.Status.HELD:
            return str(_("The mirror questions open once the visit is confirmed as held."))
        return None

    def committee(self, obj):
        return committee_for(obj)

    def day(self, obj):
        return timezone.localdate(obj.starts_at)

    def lead(self, obj) -> str:
        return f"{obj.workplace.name} · {dates.when(obj.starts_at, 'date')}"
