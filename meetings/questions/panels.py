"""The questions' panels through the registries of ``core.registry``: on a workplace's page the newest questions to
it that the person may see; in the equal-access ledger the questions each workplace answered."""

from django.db.models import Count, Min, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.registry import moments_ahead
from meetings.models import Question

from . import permissions as can
from . import selectors


def workplace_questions_panel(request, workplace) -> str:
    questions = selectors.workplace_questions(request.user, workplace)
    roles = request.user.roles
    committees = [c for c in workplace.committees.all() if roles.is_administrator or c.pk in roles.committee_ids]
    askable = [c for c in committees if can.can_ask(request.user, c) and workplace.is_active]
    if not questions and not committees:
        return ""
    return render_to_string(
        "meetings/questions/_workplace_panel.html",
        {"workplace": workplace, "questions": questions, "committees": committees, "askable": askable},
        request=request,
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
    later = Q(answered_at__gt=now)
    answered = list(
        Question.objects.filter(
            committee=committee,
            workplace_id__in=workplace_ids,
            status=Question.Status.ANSWERED,
            answered_at__gte=since_24,
        )
        .values("workplace_id")
        .annotate(
            n24=Count("pk", filter=~later),
            n12=Count("pk", filter=Q(answered_at__gte=since_12) & ~later),
            first_24=Min("answered_at", filter=~later),
            first_12=Min("answered_at", filter=Q(answered_at__gte=since_12) & ~later),
            ahead=Min("answered_at", filter=later),
        )
    )
    if until is not None:
        until.extend(moments_ahead(answered, since_12, since_24, now))
    return [(_("Questions answered"), {r["workplace_id"]: (r["n12"], r["n24"]) for r in answered if r["n24"]})]
