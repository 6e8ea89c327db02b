"""The questions' panels through the registries of ``core.registry``: on a workplace's page the newest questions to
it that the person may see; in the equal-access ledger the questions each workplace answered."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.registry import KeptPanel, ledger_window, moments_ahead
from core.versioned_cache import model_version_keys
from meetings.models import Committee, Question, Workplace, WorkplaceRole
from meetings.models.organisation import NAME_VERSION_KEYS

from . import permissions as can
from . import selectors


def workplace_questions_panel(request, workplace) -> KeptPanel:
    """Kept per workplace, language and what decides which questions the person sees (``Question.objects.
    visible_to``: the secretariat all; else their committees, whether they lead the workplace or sit in its trio,
    and, for the questions passed on to them, the person) under the versions of the questions, committees and
    workplaces and the names' (who asked), for today (a deadline passes at midnight; issue 19)."""
    user = request.user
    roles = user.roles
    seats = ",".join(map(str, sorted(roles.committee_ids)))  # also whom they may ask, the secretariat's too
    if roles.is_administrator:
        sees = f"all:{seats}"
    else:
        here = roles.workplace_roles.get(workplace.pk, set()) & {WorkplaceRole.Role.LEADER, WorkplaceRole.Role.TRIO}
        sees = f"{user.pk}:{int(bool(here))}:{seats}"

    def compute() -> tuple[str, None]:
        questions = selectors.workplace_questions(user, workplace)
        committees = [c for c in workplace.committees.all() if roles.is_administrator or c.pk in roles.committee_ids]
        askable = [c for c in committees if can.can_ask(user, c) and workplace.is_active]
        if not questions and not committees:
            return "", None
        html = render_to_string(
            "meetings/questions/_workplace_panel.html",
            {"workplace": workplace, "questions": questions, "committees": committees, "askable": askable},
        )
        return html, None

    return KeptPanel(
        f"workplace-questions-panel1:{workplace.pk}:{get_language()}:{sees}",
        [*model_version_keys(Question, Committee, Workplace), *NAME_VERSION_KEYS],
        compute,
        also=timezone.localdate(),
    )


def committee_questions_panel(request, committee) -> str:
    """A link to the committee's questions, on the committee's page, for its members and the secretariat."""
    roles = request.user.roles if request.user.is_authenticated else None
    if not roles or not (roles.is_administrator or committee.pk in roles.committee_ids):
        return ""
    return render_to_string(
        "meetings/questions/_committee_panel.html",
        {"committee": committee, "may_ask": can.can_ask(request.user, committee)},
        request=request,
    )


def ledger_counts(committee, workplace_ids, since_12, since_24, now, until=None) -> list[tuple[str, dict]]:
    """The equal-access ledger's column (``core.registry.ledger_columns``): per workplace, the committee's questions
    it answered, in the last 12 and 24 months. One query. ``until`` (a list), when given, gets the first moment after
    which time alone changes the counts (an answer leaves the 12 or 24 months, or one dated ahead comes in)."""
    answered = list(
        Question.objects.filter(
            committee=committee,
            workplace_id__in=workplace_ids,
            status=Question.Status.ANSWERED,
            answered_at__gte=since_24,
        )
        .values("workplace_id")
        .annotate(**ledger_window("answered_at", since_12, since_24, now))
    )
    if until is not None:
        until.extend(moments_ahead(answered, since_12, since_24, now))
    return [(_("Questions answered"), {r["workplace_id"]: (r["n12"], r["n24"]) for r in answered if r["n24"]})]
