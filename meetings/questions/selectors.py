"""Reads for questions to a workplace: a committee's list (searchable, filterable, paginated) and the dashboards'
panels, each in a fixed number of queries whatever the amount."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.versioned_cache import model_version_keys
from meetings.models import Question, QuestionAnswer, User, Workplace
from meetings.models.organisation import NAME_VERSION_KEYS

from . import permissions as can

OVERDUE = "overdue"
STATUS_FILTERS = {
    Question.Status.OPEN.value: _("Waiting for an answer"),
    Question.Status.ANSWERED.value: _("Answered"),
    Question.Status.PASSED_ON.value: _("Passed on to the administration"),
    OVERDUE: _("Past the deadline"),
}
PAGE_SIZE = 20
# The committee's list below its heading is kept this long at most (issue 19); any change is a miss at once.
LIST_CACHE_SECONDS = 600
# What that part shows: the questions (and the filter by status), their answers (counted, searched), the workplaces
# (their names, the filter's choices: which workplaces are under the committee) and the askers' names
# (``NAME_VERSION_KEYS``).
LIST_MODELS = (Question, QuestionAnswer, Workplace)
# How long an answer counts as new on the asker's dashboard.
NEW_ANSWER_DAYS = 14


def with_answers(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("workplace", "committee", "asked_by", "passed_to").prefetch_related(
        Prefetch("answers", queryset=QuestionAnswer.objects.select_related("author").order_by("number"))
    )


def committee_questions(
    user: User, committee, *, text: str = "", workplace_id: int | None = None, status: str = ""
) -> QuerySet:
    """The committee's questions the person may see, newest first, narrowed by a search text (in the question and
    its answers), a workplace and a status (``STATUS_FILTERS``). Each row carries what the list shows: its
    workplace, its asker and ``answer_count`` (no answers are loaded)."""
    roles = user.roles
    queryset = Question.objects.filter(committee=committee)
    if not (roles.is_administrator or committee.pk in roles.committee_ids):
        # The secretariat and the members see every question of the committee; without ``visible_to``'s OR the
        # database reads a page from the newest-first index instead of sorting the committee's whole history.
        queryset = queryset.visible_to(user)
    if text:
        queryset = queryset.filter(Q(text__icontains=text) | Q(answers__text__icontains=text)).distinct()
    if workplace_id:
        queryset = queryset.filter(workplace_id=workplace_id)
    if status == OVERDUE:
        queryset = queryset.overdue()
    elif status in STATUS_FILTERS:
        queryset = queryset.filter(status=status)
    answers = (
        QuestionAnswer.objects.filter(question=OuterRef("pk"))
        .order_by()
        .values("question")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        queryset.select_related("workplace", "asked_by")
        .annotate(answer_count=Coalesce(Subquery(answers), 0))
        .order_by("-asked_at", "-pk")
    )


def list_cache_key(committee, query: str) -> str:
    """The key of the committee's list as shown for ``query`` (the page's query string) in the active language."""
    parts = (committee.pk, get_language(), query)
    return "questions:list:" + hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def list_version_keys() -> list[str]:
    return [*model_version_keys(*LIST_MODELS), *NAME_VERSION_KEYS]


def get_question_for_user(user: User, pk: int) -> Question:
    """The question with its answers, or 404 for someone who may not see it."""
    question = with_answers(Question.objects.filter(pk=pk)).first()
    if question is None or not can.can_view(user, question):
        raise Http404
    return question


def asked_together(question: Question) -> list[Question]:
    """The other workplaces asked the same question at the same time."""
    return list(
        Question.objects.filter(group=question.group)
        .exclude(pk=question.pk)
        .select_related("workplace")
        .order_by("workplace__name")
    )


@dataclass(frozen=True)
class DashboardQuestions:
    to_answer: list  # waiting for the person's answer (workplaces they lead, or passed on to them), nearest deadline
    waiting: list  # the person's own questions not yet answered
    answered: list  # the person's own questions answered in the last ``NEW_ANSWER_DAYS`` days, newest first


def dashboard_questions(user: User, *, now: dt.datetime | None = None) -> DashboardQuestions:
    """The questions for the person's dashboard, as a leader (or a head of centre) and as a politician. One query."""
    now = now or timezone.now()
    roles = user.roles
    wanted = Q(workplace_id__in=list(roles.led_workplace_ids), status=Question.Status.OPEN) | Q(
        passed_to=user, status=Question.Status.PASSED_ON
    )
    if roles.is_politician:
        wanted |= Q(asked_by=user) & (
            ~Q(status=Question.Status.ANSWERED) | Q(answered_at__gte=now - dt.timedelta(days=NEW_ANSWER_DAYS))
        )
    found = list(
        Question.objects.filter(wanted).select_related("workplace", "committee", "asked_by").order_by("deadline", "pk")
    )
    led = roles.led_workplace_ids
    to_answer = [
        q
        for q in found
        if (q.status == Question.Status.OPEN and q.workplace_id in led)
        or (q.status == Question.Status.PASSED_ON and q.passed_to_id == user.pk)
    ]
    mine = [q for q in found if q.asked_by_id == user.pk] if roles.is_politician else []
    answered = sorted((q for q in mine if q.status == Question.Status.ANSWERED), key=lambda q: q.answered_at)
    return DashboardQuestions(
        to_answer=to_answer[:10],
        waiting=[q for q in mine if q.status != Question.Status.ANSWERED][:10],
        answered=answered[::-1][:10],
    )


def workplace_questions(user: User, workplace, *, limit: int = 5) -> list[Question]:
    """The newest questions to the workplace the person may see (for the workplace's page)."""
    return list(
        Question.objects.visible_to(user)
        .filter(workplace=workplace)
        .select_related("committee", "asked_by")
        .order_by("-asked_at", "-pk")[:limit]
    )
