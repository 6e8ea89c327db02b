"""Pages for questions to a workplace. Thin: parse, fetch-and-check, call one service, message, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.versioned_cache import versioned_get_or_set
from meetings.models import Committee
from meetings.transition_views import transition_page

from . import permissions as can
from . import selectors, services
from .errors import QuestionError
from .forms import AnswerForm, PassOnForm, QuestionFilterForm, QuestionForm


def _committee_for(request, slug) -> Committee:
    """The committee whose questions the person may list: its members and the secretariat; others get 404."""
    committee = get_object_or_404(Committee, slug=slug)
    roles = request.user.roles
    if not (roles.is_administrator or committee.pk in roles.committee_ids):
        raise Http404
    return committee


@login_required
def question_list(request, slug):
    """The committee's questions. Everyone who may list them (its members and the secretariat) sees the same list,
    so the part below the heading is kept per query string and language under the versions of what it shows
    (``selectors.list_version_keys``) and today's date (a question passes its deadline at midnight)."""
    committee = _committee_for(request, slug)
    # Rendered (escaped) HTML, a SafeString: the cache keeps its type, so it is not escaped a second time.
    listing = versioned_get_or_set(
        selectors.list_cache_key(committee, request.GET.urlencode()),
        selectors.list_version_keys(),
        lambda: render_to_string("meetings/questions/_question_list.html", _list_context(request, committee)),
        also=timezone.localdate().isoformat(),
        timeout=selectors.LIST_CACHE_SECONDS,
    )
    return render(
        request,
        "meetings/questions/question_list.html",
        {"committee": committee, "listing": listing, "may_ask": can.can_ask(request.user, committee)},
    )


def _list_context(request, committee) -> dict:
    form = QuestionFilterForm(request.GET or None, committee=committee)
    filters = form.cleaned_data if form.is_valid() else {}
    questions = selectors.committee_questions(
        request.user,
        committee,
        text=filters.get("q", ""),
        workplace_id=filters.get("workplace"),
        status=filters.get("status", ""),
    )
    page = Paginator(questions, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # queries run here, not while the template renders
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


@login_required
def question_create(request, slug):
    committee = get_object_or_404(Committee, slug=slug)
    if not can.can_ask(request.user, committee):
        if can.is_administrator(request.user):
            raise PermissionDenied  # the secretariat reads the questions, it does not ask them
        raise Http404
    chosen = request.GET.get("workplace", "")  # from a workplace's page: that workplace ticked
    form = QuestionForm(
        request.POST or None, committee=committee, initial={"workplaces": [chosen] if chosen.isdigit() else []}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questions = services.question_ask(
                actor=request.user,
                committee=committee,
                workplaces=data["workplaces"],
                text=data["text"],
                no_individual_case=data["no_individual_case"],
            )
        except QuestionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "The question is sent. The leader has been told.",
                    "The question is sent to %(count)s workplaces. Their leaders have been told.",
                    len(questions),
                )
                % {"count": len(questions)},
            )
            return redirect(questions[0] if len(questions) == 1 else committee_list_url(committee))
    return render(
        request,
        "meetings/questions/question_create.html",
        {"form": form, "committee": committee, "working_days": services.question_working_days()},
    )


def committee_list_url(committee) -> str:
    return reverse("meetings:question-list", args=[committee.slug])


@login_required
def question_detail(request, pk):
    question = selectors.get_question_for_user(request.user, pk)
    user = request.user
    return render(
        request,
        "meetings/questions/question_detail.html",
        {
            "question": question,
            "answers": list(question.answers.all()),
            "together": selectors.asked_together(question),
            "may_answer": can.can_answer(user, question),
            "may_correct": can.can_correct(user, question),
            "may_pass_on": can.can_pass_on(user, question),
            "may_list": user.roles.is_administrator or question.committee_id in user.roles.committee_ids,
        },
    )


def _question_transition(request, question, **page):
    return transition_page(
        request, question, template="meetings/questions/question_transition.html", refused=QuestionError, **page
    )


@login_required
def question_answer(request, pk):
    question = selectors.get_question_for_user(request.user, pk)
    correcting = question.status == question.Status.ANSWERED
    return _question_transition(
        request,
        question,
        form=AnswerForm(request.POST or None),
        service=lambda data: services.question_answer(question=question, actor=request.user, text=data["text"]),
        title=_("Correct the answer") if correcting else _("Answer the question"),
        explanation=_(
            "The asker and the whole committee get the answer. It cannot be changed afterwards; a correction is "
            "added as a new answer, and the first is kept."
        ),
        button=_("Send the correction") if correcting else _("Send the answer"),
        success=_("The answer is sent to the asker and the committee."),
    )


@login_required
def question_pass_on(request, pk):
    question = selectors.get_question_for_user(request.user, pk)
    return _question_transition(
        request,
        question,
        form=PassOnForm(request.POST or None),
        service=lambda data: services.question_pass_on(question=question, actor=request.user, **data),
        title=_("Pass the question on to the administration"),
        explanation=_(
            "If the question belongs with the administration, pass it on to a head of centre. The head of centre is "
            "told by e-mail, and the asker and the committee see who has the question now."
        ),
        button=_("Pass the question on"),
        success=_("The question is passed on. The head of centre, the asker and the committee have been told."),
    )
