"""Pages for hearings. Thin: parse, fetch-and-check, call one service, message, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codex.formatting import render_markdown
from meetings.models import MatterFile
from meetings.transition_views import transition_page

from . import permissions as can
from . import selectors, services
from .errors import HearingError
from .forms import (
    CommentForm,
    DecisionForm,
    DraftForm,
    MatterForm,
    PresentationAcceptForm,
    PresentationDeclineForm,
    PresentationForm,
)


@login_required
def matter_list(request):
    rows = selectors.matters_for(request.user)
    return render(
        request,
        "meetings/hearings/matter_list.html",
        {"rows": rows, "may_register": can.may_register_anything(request.user)},
    )


@login_required
def matter_create(request):
    if not can.may_register_anything(request.user):
        raise PermissionDenied
    form = MatterForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matter = services.matter_register(actor=request.user, **data)
        except HearingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The matter is registered. The workplaces concerned have been told."))
            return redirect(matter)
    return render(
        request,
        "meetings/hearings/matter_create.html",
        {"form": form, "working_days": services.hearing_working_days()},
    )


@login_required
def matter_detail(request, pk):
    matter = selectors.get_matter_for_user(request.user, pk)
    return render(
        request,
        "meetings/hearings/matter_detail.html",
        {
            "matter": matter,
            "row": selectors.matter_row(matter, request.user),
            "summary": render_markdown(matter.summary),
            "files": list(matter.files.all()),
            "sees_every_hearing": can.sees_every_hearing(request.user, matter),
            "is_administrator": can.is_administrator(request.user),
        },
    )


@login_required
def matter_file(request, pk):
    attached = get_object_or_404(MatterFile, pk=pk)
    selectors.get_matter_for_user(request.user, attached.matter_id)  # 404 unless the person sees the matter
    try:
        handle = attached.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attached.name)


@login_required
def hearing_detail(request, pk):
    hearing = selectors.get_hearing_for_user(request.user, pk)
    sees_draft = can.can_see_draft(request.user, hearing)
    may_edit = can.can_edit_draft(request.user, hearing)
    responses = list(hearing.responses.all())
    latest = responses[-1] if responses else None
    context = {
        "hearing": hearing,
        "matter": hearing.matter,
        "responses": responses,
        "public_response_state": _publication_state(hearing, latest),
        "may_set_publication": can.can_set_publication(request.user, hearing),
        "sees_draft": sees_draft,
        "may_edit": may_edit,
        "may_comment": can.can_comment(request.user, hearing),
        "comments": list(hearing.comments.select_related("author")) if sees_draft else [],
        "draft_form": DraftForm(
            initial={"text": hearing.draft, "commenters": list(hearing.commenters.all())}, hearing=hearing
        )
        if may_edit
        else None,
        "comment_form": CommentForm(),
        "presentation": getattr(hearing, "presentation", None),
        "is_chair": can.is_chair(request.user, hearing.matter),
    }
    return render(request, "meetings/hearings/hearing_detail.html", context)


def _publication_state(hearing, latest) -> str:
    """ "agreed" when the leader agreed to show the latest response publicly, "private" when there is a response with
    text that is not shown, "" when there is nothing to show (no response, or »no comments«)."""
    if latest is None or latest.no_comments:
        return ""
    return "agreed" if hearing.response_public_version == latest.number else "private"


def _hearing_transition(request, hearing, **page):
    """A hearing's confirmation page on GET, its service on POST (``core``'s transition page with the hearings'
    template and error)."""
    return transition_page(
        request, hearing, template="meetings/hearings/hearing_transition.html", refused=HearingError, **page
    )


def _publication_page(request, pk, *, public: bool):
    hearing = selectors.get_hearing_for_user(request.user, pk)
    if not can.can_set_publication(request.user, hearing):
        raise PermissionDenied
    if public:
        page = {
            "title": _("Show the response publicly?"),
            "explanation": _(
                "If the committee makes the matter public after the meeting, the latest version of your response "
                "is shown on the committee's public plan, for anyone to read. The files are never shown. "
                "You can withdraw the consent at any time; a corrected version needs your consent again."
            ),
            "button": _("Agree"),
            "success": _("The response will be shown publicly if the matter is made public."),
        }
    else:
        page = {
            "title": _("Withdraw the consent?"),
            "explanation": _("The response is no longer shown on the public plan."),
            "button": _("Withdraw the consent"),
            "success": _("The consent is withdrawn. The response is not shown publicly."),
            "danger": True,
        }
    return _hearing_transition(
        request,
        hearing,
        service=lambda _data: services.response_publication_set(hearing=hearing, actor=request.user, public=public),
        **page,
    )


@login_required
def hearing_publication_agree(request, pk):
    return _publication_page(request, pk, public=True)


@login_required
def hearing_publication_withdraw(request, pk):
    return _publication_page(request, pk, public=False)


@login_required
@require_POST
def hearing_draft(request, pk):
    hearing = selectors.get_hearing_for_user(request.user, pk)
    form = DraftForm(request.POST, hearing=hearing)
    if form.is_valid():
        try:
            services.hearing_draft_save(
                hearing=hearing,
                actor=request.user,
                text=form.cleaned_data["text"],
                commenters=form.cleaned_data.get("commenters") if "commenters" in form.fields else None,
            )
        except HearingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The draft is saved."))
    else:
        messages.error(request, _("The draft is not saved. Check the fields."))
    return redirect(hearing)


@login_required
@require_POST
def hearing_comment(request, pk):
    hearing = selectors.get_hearing_for_user(request.user, pk)
    try:
        services.hearing_comment_add(hearing=hearing, actor=request.user, body=request.POST.get("body", ""))
    except HearingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your comment is added."))
    return redirect(hearing)


def _respond_page(request, pk, *, no_comments: bool):
    hearing = selectors.get_hearing_for_user(request.user, pk)
    if no_comments:
        page = {
            "title": _("No comments"),
            "explanation": _(
                "You tell the committee that your workplace has no comments on the matter. "
                "The answer cannot be changed afterwards, only followed by a new version."
            ),
            "button": _("Send »No comments«"),
            "success": _("The committee has your answer: no comments."),
        }
    else:
        page = {
            "title": _("Send the response to the committee"),
            "explanation": _(
                "The response is sent as the draft reads now. It cannot be changed afterwards; "
                "a correction is sent as a new version."
            ),
            "button": _("Send to the committee"),
            "success": _("The response is sent to the committee."),
        }
    return _hearing_transition(
        request,
        hearing,
        service=lambda _data: services.hearing_respond(hearing=hearing, actor=request.user, no_comments=no_comments),
        allowed=can.can_respond(request.user, hearing),
        **page,
    )


@login_required
def hearing_submit(request, pk):
    return _respond_page(request, pk, no_comments=False)


@login_required
def hearing_no_comments(request, pk):
    return _respond_page(request, pk, no_comments=True)


@login_required
def hearing_present(request, pk):
    hearing = selectors.get_hearing_for_user(request.user, pk)
    existing = getattr(hearing, "presentation", None)
    form = PresentationForm(request.POST or None, initial={"note": existing.note if existing else ""})
    return _hearing_transition(
        request,
        hearing,
        service=lambda data: services.presentation_request(hearing=hearing, actor=request.user, note=data["note"]),
        allowed=can.can_respond(request.user, hearing),
        form=form,
        title=_("Ask to present the matter at the meeting"),
        explanation=_(
            "You can present your workplace's matter in person when the committee treats it. "
            "The chair answers with a time on the programme, or declines with a reason."
        ),
        button=_("Ask to present"),
        success=_("Your request is sent to the chair."),
    )


def _presentation_page(request, pk, *, accept: bool):
    hearing = selectors.get_hearing_for_user(request.user, pk)
    presentation = getattr(hearing, "presentation", None)
    if presentation is None:
        raise Http404
    if accept:
        form = PresentationAcceptForm(request.POST or None)
        page = {
            "title": _("Accept the presentation"),
            "button": _("Accept"),
            "success": _("The presentation is on the programme. The leader has been told."),
            "service": lambda data: services.presentation_accept(
                presentation=presentation, actor=request.user, at=data["at"]
            ),
        }
    else:
        form = PresentationDeclineForm(request.POST or None)
        page = {
            "title": _("Decline the presentation"),
            "button": _("Decline"),
            "success": _("The request is declined. The leader has been told why."),
            "service": lambda data: services.presentation_decline(
                presentation=presentation, actor=request.user, reason=data["reason"]
            ),
            "danger": True,
        }
    return _hearing_transition(
        request,
        hearing,
        form=form,
        explanation=presentation.note,
        allowed=can.is_chair(request.user, hearing.matter),
        **page,
    )


@login_required
def presentation_accept(request, pk):
    return _presentation_page(request, pk, accept=True)


@login_required
def presentation_decline(request, pk):
    return _presentation_page(request, pk, accept=False)


@login_required
def matter_decide(request, pk):
    matter = selectors.get_matter_for_user(request.user, pk)
    if not can.is_administrator(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    return transition_page(
        request,
        matter,
        template="meetings/hearings/matter_transition.html",
        service=lambda data: services.matter_decide(matter=matter, actor=request.user, **data),
        refused=HearingError,
        form=form,
        title=_("Record the committee's decision"),
        explanation=_("Each workplace heard is told the outcome. The hearing closes."),
        button=_("Record the decision"),
        success=_("The decision is recorded. The workplaces heard have been told."),
    )
