"""Pages for challenges of rules. Thin: parse, fetch-and-check, call one service, message, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meetings.transition_views import transition_page

from . import permissions as can
from . import selectors, services
from .errors import ChallengeError
from .forms import ChallengeForm, DecisionForm, EvaluationForm, JoinForm, ScheduleForm
from .models import Status

TRANSITION = "codex/challenges/challenge_transition.html"


@login_required
def challenge_list(request):
    return render(
        request,
        "codex/challenges/challenge_list.html",
        {
            "lists": selectors.challenges_for(request.user),
            "hours": selectors.hours_given_back(),
            "may_challenge": can.may_challenge(request.user),
        },
    )


def challenge_public(request):
    """Decided challenges, for everyone: workplace names, never people."""
    return render(
        request,
        "codex/challenges/challenge_public.html",
        {"challenges": selectors.public_challenges(), "hours": selectors.hours_given_back()},
    )


@login_required
def challenge_create(request):
    if not can.may_challenge(request.user):
        raise PermissionDenied
    form = ChallengeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_create(actor=request.user, **form.cleaned_data)
        except ChallengeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft is saved. Let the trio read it, then send it to the committee."))
            return redirect(challenge)
    return render(request, "codex/challenges/challenge_form.html", {"form": form, "challenge": None})


@login_required
def challenge_detail(request, pk):
    challenge = selectors.get_challenge_for_user(request.user, pk)
    user = request.user
    return render(
        request,
        "codex/challenges/challenge_detail.html",
        {
            "challenge": challenge,
            "joiners": list(challenge.joiners.all()),
            "events": list(challenge.events.select_related("actor")),
            "may_edit": can.can_edit(user, challenge),
            "may_submit": can.may_take(user, challenge, Status.SUBMITTED),
            "may_schedule": can.may_take(user, challenge, Status.SCHEDULED),
            "may_decide": can.may_decide(user, challenge),
            "may_evaluate": can.may_evaluate(user, challenge),
            "may_join": bool(can.joinable_workplace_ids(user, challenge)),
        },
    )


@login_required
def challenge_edit(request, pk):
    challenge = selectors.get_challenge_for_user(request.user, pk)
    if not can.can_edit(request.user, challenge):
        raise PermissionDenied
    initial = {
        "committee": challenge.committee,
        "policy_item": challenge.policy_item,
        "rule": challenge.rule,
        "description": challenge.description,
        "hours_per_month": challenge.hours_per_month,
        "proposal": challenge.proposal,
        "proposal_detail": challenge.proposal_detail,
        "trio_agrees": challenge.trio_agrees,
    }
    form = ChallengeForm(request.POST or None, initial=initial, user=request.user, challenge=challenge)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_update(challenge=challenge, actor=request.user, **form.cleaned_data)
        except ChallengeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect(challenge)
    return render(request, "codex/challenges/challenge_form.html", {"form": form, "challenge": challenge})


@login_required
def challenge_submit(request, pk):
    challenge = selectors.get_challenge_for_user(request.user, pk)
    if not can.is_leader_of(request.user, challenge.workplace_id):
        raise PermissionDenied
    return transition_page(
        request,
        challenge,
        template=TRANSITION,
        service=lambda data: services.challenge_submit(challenge=challenge, actor=request.user),
        refused=ChallengeError,
        title=_("Send the challenge to the committee?"),
        explanation=_("The committee's chair is told and puts it on a meeting. Every leader can see it and join it."),
        button=_("Send to the committee"),
        success=_("The challenge is sent to the committee."),
    )


def _for_committee(request, challenge):
    """The chair's and the secretariat's pages: those who see the challenge but may not act get 403."""
    if not (can.is_administrator(request.user) or can.chairs(request.user, challenge.committee_id)):
        raise PermissionDenied


@login_required
def challenge_schedule(request, pk):
    challenge = selectors.get_challenge_for_user(request.user, pk)
    _for_committee(request, challenge)
    form = ScheduleForm(request.POST or None, challenge=challenge)
    return transition_page(
        request,
        challenge,
        template=TRANSITION,
        service=lambda data: services.challenge_schedule(challenge=challenge, actor=request.user, **data),
        refused=ChallengeError,
        form=form,
        title=_("Put the challenge on a meeting"),
        explanation=_("Choose the committee meeting that treats it. The workplaces are told."),
        button=_("Put on the meeting"),
        success=_("The challenge is on the meeting's agenda. The workplaces have been told."),
    )


def _decide(challenge, actor, data) -> None:
    """One service per edge: the outcome chosen picks it."""
    outcome, reason = data["outcome"], data.get("reason", "")
    if outcome == Status.GRANTED:
        services.challenge_grant(challenge=challenge, actor=actor, reason=reason)
    elif outcome == Status.TRIAL:
        services.challenge_grant_trial(
            challenge=challenge,
            actor=actor,
            trial_ends_on=data.get("trial_ends_on"),
            trial_evaluation=data.get("trial_evaluation", ""),
            reason=reason,
        )
    elif outcome == Status.REJECTED:
        services.challenge_reject(challenge=challenge, actor=actor, reason=reason)
    else:
        services.challenge_pass_on(challenge=challenge, actor=actor, reason=reason)


@login_required
def challenge_decide(request, pk):
    challenge = selectors.get_challenge_for_user(request.user, pk)
    _for_committee(request, challenge)
    form = DecisionForm(request.POST or None)
    return transition_page(
        request,
        challenge,
        template=TRANSITION,
        service=lambda data: _decide(challenge, request.user, data),
        refused=ChallengeError,
        form=form,
        title=_("Record the committee's decision"),
        explanation=_("The workplaces are told. Once decided, the challenge is shown on the public page."),
        button=_("Record the decision"),
        success=_("The decision is recorded. The workplaces have been told."),
    )


def _evaluate(challenge, actor, data) -> None:
    outcome, note = data["outcome"], data.get("note", "")
    if outcome == "permanent":
        services.challenge_make_permanent(challenge=challenge, actor=actor, note=note)
    elif outcome == "extend":
        services.challenge_extend_trial(
            challenge=challenge, actor=actor, trial_ends_on=data.get("trial_ends_on"), note=note
        )
    else:
        services.challenge_stop_trial(challenge=challenge, actor=actor, note=note)


@login_required
def challenge_evaluate(request, pk):
    challenge = selectors.get_challenge_for_user(request.user, pk)
    _for_committee(request, challenge)
    form = EvaluationForm(request.POST or None)
    return transition_page(
        request,
        challenge,
        template=TRANSITION,
        service=lambda data: _evaluate(challenge, request.user, data),
        refused=ChallengeError,
        form=form,
        title=_("Evaluate the trial"),
        explanation=_("Scale it up, give it longer, or stop it. The workplaces are told."),
        button=_("Record the evaluation"),
        success=_("The evaluation is recorded. The workplaces have been told."),
    )


@login_required
def challenge_join(request, pk):
    challenge = selectors.get_challenge_for_user(request.user, pk)
    if not can.may_challenge(request.user):
        raise PermissionDenied
    joinable = can.joinable_workplace_ids(request.user, challenge)
    if not joinable:
        messages.info(
            request,
            _("There is no workplace of yours to add: it is on the challenge already, or the committee has decided."),
        )
        return redirect(challenge)
    form = JoinForm(request.POST or None, workplace_ids=joinable)
    return transition_page(
        request,
        challenge,
        template=TRANSITION,
        service=lambda data: services.challenge_join(challenge=challenge, actor=request.user, **data),
        refused=ChallengeError,
        form=form,
        title=_("This applies to us too"),
        explanation=_(
            "Add your workplace and what the rule costs you. The committee sees every workplace it concerns."
        ),
        button=_("Add our workplace"),
        success=_("Your workplace is added to the challenge."),
    )
