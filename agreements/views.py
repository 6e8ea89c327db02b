"""Pages for development agreements. Thin: parse, fetch-and-check, call one service, message, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codex.diff import has_changes, side_by_side
from codex.gate import require_codex_signed
from core import dates
from core.pagination import counted_page
from core.versioned_cache import versioned_get_or_set, versioned_prefetch
from meetings.models import Committee, Workplace
from meetings.selectors import kept_committee, kept_committee_key
from meetings.transition_views import transition_page

from . import fingerprint as fp
from . import pdf, selectors, services
from . import permissions as can
from .errors import AgreementError
from .forms import (
    ActForCommitteeForm,
    AgreementForm,
    AgreementStartForm,
    CommentForm,
    ConsultationForm,
    FollowUpForm,
    GoalForm,
    NoteForm,
    OverviewForm,
    SharedGoalForm,
    SignForm,
    first_free_year,
)
from .models import Agreement, AgreementSignature, Comment, Goal, SharedGoal, Status, calendar_year

PAGE_SIZE = 25


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _agreement(request, pk, check=None) -> Agreement:
    return selectors.get_agreement_for_user(request.user, pk, write=check is not None, check=check)


# --- Lists -----------------------------------------------------------------------------------------------------


LIST_PAGES_KEPT = 1000  # page numbers beyond are answered (the last page) but not kept


@login_required
def agreement_list(request):
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    number = request.GET.get("page")
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 1  # as the paginator does: the first page
    # The page's content is the same on every visit while no agreement, workplace or committee changes and the
    # person's seats and roles are the same: kept per person, filter, page and language (issue 19).
    if not 1 <= wanted <= LIST_PAGES_KEPT:
        body = _agreement_list_body(request.user, status, number)
    else:
        body = versioned_get_or_set(
            f"agreements:list:{request.user.pk}:{status}:{wanted}:{get_language()}",
            selectors.agreement_list_version_keys(),
            lambda: _agreement_list_body(request.user, status, number),
            also=selectors.agreement_list_scope(request.user),
        )
    return render(request, "agreements/agreement_list.html", {"body": body})


def _agreement_list_body(user, status: str, number) -> str:
    agreements = selectors.agreement_list(user, status=status)
    # The page and the number of agreements over all pages in one query (a window count; issue 19).
    page = counted_page(agreements, PAGE_SIZE, number)
    roles = user.roles
    led = list(Workplace.objects.filter(pk__in=roles.led_workplace_ids).order_by("name"))
    committees = list(Committee.objects.filter(pk__in=roles.committee_ids).order_by("name"))
    if roles.is_administrator:
        committees = list(Committee.objects.active().order_by("name"))
    return render_to_string(
        "agreements/_agreement_list_body.html",
        {
            "page": page,
            "status": status,
            "query": f"status={status}" if status else "",
            "statuses": Status.choices,
            "led_workplaces": led,
            "committees": committees,
            "may_see_shared_goals": can.can_see_shared_goals(user),
        },
    )


OVERVIEW_PAGE_SIZE = 25  # close to a small committee's whole list, so the page costs the same at every size


def _page_number(request) -> int:
    """The page asked for, as the paginator reads it: the first page for one that is not a number."""
    try:
        return int(request.GET.get("page") or 1)
    except (TypeError, ValueError):
        return 1


@login_required
def committee_overview(request, slug):
    form = OverviewForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    number = _page_number(request)
    # The content (counts, table, page links) is the same for everyone who may see the overview: kept per
    # committee, year, page and language while what it reads is unchanged, read with the committee in one round
    # trip to the cache (issue 19).
    key = f"agreements:overview-page:{slug}:{year}:{number}:{OVERVIEW_PAGE_SIZE}:{get_language()}"
    version_keys = selectors.overview_page_version_keys()
    read = versioned_prefetch([*version_keys, kept_committee_key(slug), key])
    committee = kept_committee(slug, read=read)
    if committee is None:
        raise Http404
    roles = request.user.roles
    if not (roles.is_administrator or committee.pk in roles.committee_ids):
        raise Http404
    if 1 <= number <= LIST_PAGES_KEPT:
        body = versioned_get_or_set(key, version_keys, lambda: _overview_body(committee, year, number), read=read)
    else:
        body = _overview_body(committee, year, number)
    return render(request, "agreements/committee_overview.html", {"committee": committee, "year": year, "body": body})


def _overview_body(committee, year: int, number: int) -> str:
    # The counts are over every workplace; the table shows a page of them (a committee may have hundreds).
    overview = selectors.committee_overview(committee, year, page=number, per_page=OVERVIEW_PAGE_SIZE)
    return render_to_string(
        "agreements/_overview_body.html",
        {
            "overview": overview,
            "page": overview.load_rows(),
            "query": urlencode({"year": year}),
            "committee": committee,
            "year": year,
            "previous_year": year - 1,
            "next_year": year + 1,
        },
    )


# --- Start and edit -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_start(request, slug):
    workplace = get_object_or_404(Workplace.objects.active(), slug=slug)
    if not can.can_start_for(request.user, workplace):
        raise Http404
    # Which earlier agreement is copied depends on the committee and year, so look them up before the form.
    data = request.POST if request.method == "POST" else None
    committee, year = AgreementStartForm.chosen(data or {}, workplace)
    committee = committee or AgreementStartForm.committees(workplace).first()
    taken = selectors.taken_years(workplace, committee) if committee else set()
    proposed = first_free_year(taken, after=timezone.localdate().year)
    year = year or proposed
    previous = services.previous_agreement(workplace, committee, calendar_year(year)[0]) if committee else None
    form = AgreementStartForm(
        data,
        workplace=workplace,
        previous=previous,
        taken_years=taken,
        shown_previous=request.POST.get("previous") if data else None,
        initial={"year": proposed},
    )
    if data is not None and form.is_valid():
        start, end = form.period()
        carry = previous if form.cleaned_data["start_from"] == "previous" else None
        try:
            agreement = services.agreement_create(
                workplace=workplace,
                committee=form.cleaned_data["committee"],
                actor=request.user,
                period_start=start,
                period_end=end,
                start_from=carry,
            )
        except AgreementError as error:
            form.add_error(None, str(error))
        else:
            if carry is not None:
                message = _(
                    "The draft is ready, started from the agreement for %(period)s. Check the core task and the goals."
                ) % {"period": carry.period_label}
            else:
                message = _("The draft is ready. Write the core task and the goals.")
            messages.success(request, message)
            return redirect("agreements:agreement-update", agreement.pk)
    return render(
        request, "agreements/agreement_start.html", {"workplace": workplace, "form": form, "previous": previous}
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_update(request, pk):
    agreement = _agreement(request, pk, check=can.can_edit)
    form = AgreementForm(request.POST or None, instance=agreement)
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.agreement_update(
                    agreement=agreement,
                    actor=request.user,
                    core_task=data["core_task"],
                    support=data["support"],
                    follow_up_plan=data["follow_up_plan"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    midterm_on=data["midterm_on"],
                    final_on=data["final_on"],
                )
            except AgreementError as error:
                if autosave:
                    return JsonResponse({"saved": False, "error": str(error)}, status=400)
                form.add_error(None, str(error))
            else:
                if autosave:
                    saved = dates.when(timezone.now(), "time")
                    return JsonResponse({"saved": True, "message": _("Draft saved at %(time)s.") % {"time": saved}})
                messages.success(request, _("The agreement is saved."))
                return redirect(agreement)
        elif autosave:
            return JsonResponse({"saved": False, "error": _("Not saved: please check the fields.")}, status=400)
    agreement = Agreement.objects.select_related("workplace", "committee").get(pk=agreement.pk)
    goals = agreement.ordered_goals(agreement.goals.select_related("shared_goal"))
    _mark_moves(goals, moved=request.GET.get("flyttet", ""), direction=request.GET.get("retning", ""))
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "agreement": agreement,
            "form": form,
            "goals": goals,
            "max_goals": services.max_goals(),
            "changes_requested": selectors.changes_requested(agreement),
        },
    )


def _mark_moves(goals, *, moved: str, direction: str) -> None:
    """Which goals can move up or down (among goals of their kind, as ``services.goal_move`` does), and after a
    move which of the moved goal's buttons gets focus: the same direction if it can go on, else the other one."""
    for index, goal in enumerate(goals):
        goal.may_move_up = index > 0 and goals[index - 1].kind == goal.kind
        goal.may_move_down = index + 1 < len(goals) and goals[index + 1].kind == goal.kind
        goal.focus = ""
        if str(goal.pk) == moved:
            wanted, other = ("up", "down") if direction == "op" else ("down", "up")
            options = [d for d in (wanted, other) if getattr(goal, f"may_move_{d}")]
            goal.focus = options[0] if options else "edit"


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk, goal_pk=None):
    agreement = _agreement(request, pk, check=can.can_edit)
    goal = get_object_or_404(Goal, pk=goal_pk, agreement=agreement) if goal_pk else None
    form = GoalForm(request.POST or None, instance=goal, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_save(
                agreement=agreement,
                actor=request.user,
                goal=goal,
                data=form.cleaned_data,
                shared_goal=form.cleaned_data.get("shared_goal"),
            )
        except AgreementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The goal is saved."))
            return redirect("agreements:agreement-update", agreement.pk)
    return render(
        request,
        "agreements/goal_form.html",
        {
            "agreement": agreement,
            "goal": goal,
            "form": form,
            "shared_goals": list(form.fields["shared_goal"].queryset),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request, pk, goal_pk):
    agreement = _agreement(request, pk, check=can.can_edit)
    goal = get_object_or_404(Goal, pk=goal_pk, agreement=agreement)
    if request.method == "POST":
        try:
            services.goal_delete(goal=goal, actor=request.user)
        except AgreementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The goal is removed."))
        return redirect("agreements:agreement-update", agreement.pk)
    return render(request, "agreements/goal_delete.html", {"agreement": agreement, "goal": goal})


@login_required
@require_POST
def goal_move(request, pk, goal_pk):
    agreement = _agreement(request, pk, check=can.can_edit)
    goal = get_object_or_404(Goal, pk=goal_pk, agreement=agreement)
    up = request.POST.get("direction") == "up"
    try:
        services.goal_move(goal=goal, actor=request.user, up=up)
    except AgreementError as error:
        messages.error(request, str(error))
    else:
        message = _("»%(title)s« is moved up.") if up else _("»%(title)s« is moved down.")
        messages.success(request, message % {"title": goal.title})
    # Back to the editor with focus on the goal that moved (the template sets autofocus on its button).
    url = reverse("agreements:agreement-update", args=[agreement.pk])
    return redirect(f"{url}?flyttet={goal.pk}&retning={'op' if up else 'ned'}")


# --- Reading ------------------------------------------------------------------------------------------------------


@login_required
def agreement_detail(request, pk):
    # The row, and the document, signatures, versions and history every reader sees alike, are kept (issue 19);
    # who may see the page and what they may do are decided here, per request.
    read = selectors.detail_prefetch(request.user, pk)
    agreement = selectors.agreement_for_page(request.user, pk, read=read)
    context = selectors.detail_page(request.user, agreement, read=read)
    if context["can"]["comment"]:
        goals = [Goal(pk=goal_pk, title=title) for goal_pk, title in context["kept"].goals]
        context["comment_form"] = CommentForm(goals=goals)
    return render(request, "agreements/agreement_detail.html", context)


@login_required
def agreement_print(request, pk):
    agreement = _agreement(request, pk)
    context = selectors.detail_for(request.user, agreement)
    context["printed_at"] = timezone.localtime()
    return render(request, "agreements/agreement_print.html", context)


@login_required
def agreement_pdf(request, pk):
    """The print view's document as a PDF file: the same check, the same context, the same template part."""
    agreement = _agreement(request, pk)
    context = selectors.detail_for(request.user, agreement)
    context["printed_at"] = timezone.localtime()
    response = HttpResponse(pdf.render_pdf("agreements/agreement_pdf.html", context, request), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename_for(agreement)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _version_page(request, pk, number):
    agreement = _agreement(request, pk)
    if not can.can_see_workings(request.user, agreement):
        raise Http404
    return agreement, selectors.version_for(agreement, number)


@login_required
def version_detail(request, pk, number):
    agreement, version = _version_page(request, pk, number)
    services.version_seen(agreement=agreement, person=request.user, number=version.number)
    return render(
        request,
        "agreements/version_detail.html",
        {
            "agreement": agreement,
            "version": version,
            "document": selectors.document_from_version(version),
            "signatures": version.signatures.select_related("person"),
            "previous": selectors.previous_version(version),
        },
    )


@login_required
def version_diff(request, pk, number):
    agreement, version = _version_page(request, pk, number)
    base = None
    if request.GET.get("fra"):
        try:
            base = selectors.version_for(agreement, int(request.GET["fra"]))
        except (ValueError, Http404):
            base = None
    base = base or selectors.compare_base(request.user, agreement, version)
    if base is None:
        raise Http404
    labels = selectors.diff_labels()
    rows = side_by_side(fp.text_lines(base.text, labels), fp.text_lines(version.text, labels))
    changed = has_changes(rows)
    only_changes = request.GET.get("kun") == "aendringer"
    services.version_seen(agreement=agreement, person=request.user, number=version.number)
    return render(
        request,
        "agreements/version_diff.html",
        {
            "agreement": agreement,
            "version": version,
            "base": base,
            "rows": fp.changes_only(rows) if only_changes else rows,
            "changed": changed,
            "only_changes": only_changes,
            "versions": list(agreement.versions.exclude(number=version.number).order_by("number")),
        },
    )


@login_required
def signature_verify(request, pk):
    """Anyone signed in who may read the agreement can check a signature against the frozen text."""
    signature = get_object_or_404(AgreementSignature.objects.select_related("person", "version", "agreement"), pk=pk)
    if not can.can_view(request.user, signature.agreement):
        raise Http404
    recomputed = signature.version.recompute_fingerprint()
    return render(
        request,
        "agreements/signature_verify.html",
        {
            "signature": signature,
            "agreement": signature.agreement,
            "recomputed": recomputed,
            "holds": recomputed == signature.version.fingerprint == signature.fingerprint,
        },
    )


# --- Transitions ----------------------------------------------------------------------------------------------------


def _transition(request, agreement, **page):
    """A confirmation page on GET; on POST call the service and go back to the agreement."""
    return transition_page(
        request, agreement, template="agreements/agreement_transition.html", refused=AgreementError, **page
    )


def _is_leader(user, agreement):
    return can.is_leader(user, agreement)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_consultation(request, pk):
    agreement = _agreement(request, pk, check=_is_leader)
    form = ConsultationForm(request.POST if request.method == "POST" else None, agreement=agreement)
    return _transition(
        request,
        agreement,
        form=form,
        service=lambda data: services.agreement_consultation_open(
            agreement=agreement, actor=request.user, consultees=data.get("consultees") or []
        ),
        title=_("Send the draft to consultation"),
        explanation=_(
            "The trio and the employees you choose can read the draft and comment. You can still edit it while "
            "they do; when you are ready, submit it to the committee."
        ),
        button=_("Send to consultation"),
        success=_("The draft is in consultation. The trio has been told."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_submit(request, pk):
    agreement = _agreement(request, pk, check=_is_leader)
    return _transition(
        request,
        agreement,
        service=lambda data: services.agreement_submit(agreement=agreement, actor=request.user),
        title=_("Submit the agreement to the committee"),
        explanation=_(
            "The text is frozen as a numbered version and the committee's members are asked to review it. "
            "If they ask for changes, you can edit and resubmit."
        ),
        button=_("Submit to the committee"),
        success=_("The agreement is submitted to the committee."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_resubmit(request, pk):
    agreement = _agreement(request, pk, check=_is_leader)
    return _transition(
        request,
        agreement,
        service=lambda data: services.agreement_resubmit(agreement=agreement, actor=request.user),
        title=_("Resubmit the agreement"),
        explanation=_("A new version is frozen. The committee sees what changed since the version they last saw."),
        button=_("Resubmit to the committee"),
        success=_("The agreement is resubmitted to the committee."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_request_changes(request, pk):
    agreement = _agreement(request, pk, check=can.is_member)
    form = NoteForm(
        request.POST or None,
        label=_("What should change?"),
        help_text=_("The leader sees this note and gets an e-mail."),
    )
    return _transition(
        request,
        agreement,
        form=form,
        service=lambda data: services.agreement_changes_request(
            agreement=agreement, actor=request.user, note=data["note"]
        ),
        title=_("Ask for changes"),
        explanation=_("The agreement goes back to the leader, who can change it and resubmit."),
        button=_("Ask for changes"),
        success=_("The leader has been asked to make changes."),
    )


def _acts_for_committee(user, agreement):
    return can.speaks_for_committee(user, agreement)


def _vice_only(user, agreement):
    return can.is_vice_chair(user, agreement) and not can.is_chair(user, agreement)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_approve(request, pk):
    agreement = _agreement(request, pk, check=_acts_for_committee)
    form = ActForCommitteeForm(
        request.POST or None, vice_chair=_vice_only(request.user, agreement), label=_("Note (optional)")
    )
    return _transition(
        request,
        agreement,
        form=form,
        service=lambda data: services.agreement_approve(
            agreement=agreement,
            actor=request.user,
            chair_absence=data.get("chair_absence", ""),
            note=data.get("note", ""),
        ),
        title=_("Approve the agreement for the committee"),
        explanation=_("The approved version is then signed by the leader and by the chair for the committee."),
        button=_("Approve"),
        success=_("The agreement is approved. It is ready to be signed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
@require_codex_signed
def agreement_sign(request, pk):
    agreement = _agreement(request, pk)
    context = selectors.detail_for(request.user, agreement)
    sides = context["can"]["sign_sides"]
    if not sides:
        if agreement.status == Status.APPROVED and can.signing_sides(request.user, agreement):
            messages.info(request, _("You have already signed this agreement."))
            return redirect(agreement)
        raise PermissionDenied
    form = SignForm(request.POST or None, sides=sides, vice_chair=_vice_only(request.user, agreement))
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign(
                agreement=agreement,
                actor=request.user,
                side=form.cleaned_data["side"],
                typed_name=form.cleaned_data["typed_name"],
                has_read=form.cleaned_data["has_read"],
                chair_absence=form.cleaned_data.get("chair_absence", ""),
            )
        except AgreementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. Your signature is recorded."))
            return redirect(agreement)
    context["form"] = form
    return render(request, "agreements/agreement_sign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_activate(request, pk):
    agreement = _agreement(request, pk, check=can.can_activate)
    return _transition(
        request,
        agreement,
        service=lambda data: services.agreement_activate(agreement=agreement, actor=request.user),
        title=_("Put the agreement into force"),
        explanation=_("The agreement's period has begun. Normally the portal does this by itself each morning."),
        button=_("Put into force"),
        success=_("The agreement is active."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_close(request, pk):
    agreement = _agreement(request, pk, check=can.can_close)
    form = ActForCommitteeForm(
        request.POST or None,
        vice_chair=_vice_only(request.user, agreement) and not can.is_administrator(request.user),
        label=_("Closing note (optional)"),
    )
    return _transition(
        request,
        agreement,
        form=form,
        service=lambda data: services.agreement_close(
            agreement=agreement,
            actor=request.user,
            note=data.get("note", ""),
            chair_absence=data.get("chair_absence", ""),
        ),
        title=_("Close the agreement"),
        explanation=_(
            "Every goal has a final status. Closing keeps the agreement, its versions and results as they are."
        ),
        button=_("Close the agreement"),
        success=_("The agreement is closed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_amend(request, pk):
    agreement = _agreement(request, pk, check=can.can_amend)
    if request.method == "POST":
        try:
            amendment = services.agreement_amend(agreement=agreement, actor=request.user)
        except AgreementError as error:
            messages.error(request, str(error))
            return redirect(agreement)
        messages.success(
            request, _("An amendment is started. The signed agreement stays in force until it is replaced.")
        )
        return redirect("agreements:agreement-update", amendment.pk)
    return _transition(
        request,
        agreement,
        service=None,
        title=_("Amend the agreement"),
        explanation=_(
            "The signed agreement is never edited. An amendment starts as a copy and goes through consultation, "
            "the committee and signing like any agreement. When it is signed it replaces this one."
        ),
        button=_("Start an amendment"),
        success="",
    )


# --- Comments and follow-ups -----------------------------------------------------------------------------------------


@login_required
@require_POST
def comment_create(request, pk):
    agreement = _agreement(request, pk, check=can.can_comment)
    goals = list(agreement.goals.all())
    form = CommentForm(request.POST, goals=goals)
    if form.is_valid():
        section, goal = form.target_parts()
        try:
            services.comment_add(
                agreement=agreement, actor=request.user, body=form.cleaned_data["body"], section=section, goal=goal
            )
        except AgreementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your comment is added."))
            return redirect(f"{agreement.get_absolute_url()}#comments")
    context = selectors.detail_page(request.user, agreement)  # the page as agreement_detail shows it
    context["comment_form"] = form
    return render(request, "agreements/agreement_detail.html", context, status=200 if form.is_valid() else 400)


@login_required
@require_POST
def comment_resolve(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("agreement"), pk=pk)
    agreement = _agreement(request, comment.agreement_id)
    if not can.can_resolve(request.user, comment, agreement):
        raise PermissionDenied
    try:
        services.comment_resolve(comment=comment, actor=request.user)
    except AgreementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The comment is marked as resolved."))
    return redirect(f"{agreement.get_absolute_url()}#comments")


@login_required
@require_http_methods(["GET", "POST"])
def followup_create(request, pk):
    agreement = _agreement(request, pk, check=can.can_follow_up)
    goals = agreement.ordered_goals(agreement.goals.select_related("shared_goal").prefetch_related("followups"))
    today = timezone.localdate()
    kind = "final" if agreement.final_on and today >= agreement.final_on else "midterm"
    form = FollowUpForm(request.POST or None, goals=goals, initial={"kind": kind})
    next_url = _safe_next(request, agreement.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(
                agreement=agreement,
                actor=request.user,
                entries=form.entries(),
                occasion=(request.POST.get("occasion") or "")[:50],
            )
        except AgreementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect(next_url)
    return render(
        request,
        "agreements/followup_form.html",
        {"agreement": agreement, "form": form, "next": next_url, "occasion": request.GET.get("occasion", "")},
    )


# --- Shared goals --------------------------------------------------------------------------------------------------


@login_required
def sharedgoal_list(request):
    if not can.can_see_shared_goals(request.user):
        raise Http404
    roles = request.user.roles
    goals = SharedGoal.objects.select_related("committee").order_by("-period_start", "committee__name", "title")
    return render(
        request,
        "agreements/sharedgoal_list.html",
        {"goals": goals, "may_add": roles.is_administrator or roles.is_politician},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharedgoal_edit(request, pk=None):
    roles = request.user.roles
    if not (roles.is_administrator or roles.is_politician):
        raise Http404
    goal = get_object_or_404(SharedGoal, pk=pk) if pk else None
    if goal is not None and not services.may_keep_shared_goal(request.user, goal.committee):
        raise PermissionDenied
    form = SharedGoalForm(request.POST or None, instance=goal, user=request.user)
    use = selectors.shared_goal_use(goal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.shared_goal_save(
                actor=request.user,
                goal=goal,
                title=data["title"],
                text=data["text"],
                committee=data["committee"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                is_active=data["is_active"],
            )
        except AgreementError as error:
            form.add_error(None, str(error))
        else:
            message = _("The shared goal is saved.")
            if saved.text_changed and use.frozen:
                message += " " + ngettext(
                    "%(count)d agreement keeps the words it was sent with.",
                    "%(count)d agreements keep the words they were sent with.",
                    use.frozen,
                ) % {"count": use.frozen}
            messages.success(request, message)
            return redirect("agreements:sharedgoal-list")
    return render(request, "agreements/sharedgoal_form.html", {"form": form, "goal": goal, "use": use})
