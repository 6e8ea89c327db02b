"""The stories' pages: thin, each calls one service or selector. Refusals are 404 for what a person may not see,
and the service's message on the page for what they see but may not do."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetings.models import Committee, Story, Workplace

from . import permissions as can
from . import selectors, services
from .errors import StoryError
from .forms import StoryFilterForm, StoryForm, StoryHideForm

PAGE_SIZE = 10


@login_required
def story_create(request, slug):
    workplace = get_object_or_404(Workplace.objects.active(), slug=slug)
    if not can.can_write(request.user, workplace):
        raise Http404
    form = StoryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            story = services.story_create(
                workplace=workplace,
                author=request.user,
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                photo=data.get("photo"),
                photo_alt=data.get("photo_alt", ""),
                photo_consent=bool(data.get("photo_consent")),
            )
        except StoryError as error:
            form.add_error(error.field, str(error))
        else:
            if story.status == Story.Status.SHARED:
                messages.success(request, _("The story is shared with the committee."))
            else:
                messages.success(
                    request, _("The story is saved. It is shared with the committee when your leader shares it.")
                )
            return redirect(story)
    return render(request, "meetings/stories/story_create.html", {"form": form, "workplace": workplace})


@login_required
def story_detail(request, pk):
    story = selectors.get_story_for_user(request.user, pk)
    user = request.user
    see_url = ""
    if can.is_politician_of(user, story):
        purpose = _("I would like to see this: %(title)s (a story from %(workplace)s)") % {
            "title": story.title,
            "workplace": story.workplace.name,
        }
        see_url = (
            f"{reverse('meetings:visit-slot-list', args=[story.workplace.slug])}?{urlencode({'purpose': purpose})}"
        )
    context = {
        "story": story,
        "events": list(story.events.all()),
        "sees_history": user.pk == story.author_id or can.is_leader(user, story) or can.is_administrator(user),
        "may_share": can.can_share(user, story),
        "may_set_public": can.can_set_public(user, story),
        "may_hide": can.can_hide(user, story),
        "see_url": see_url,
        "asks": bool(see_url),
    }
    return render(request, "meetings/stories/story_detail.html", context)


def _transition(request, pk, *, allowed, action, title, question, button, done, form_class=None):
    """A story's confirmation page (GET) and the change (POST), refused with the service's message."""
    story = selectors.get_story_for_user(request.user, pk)
    form = form_class(request.POST or None) if form_class else None
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            action(story, form.cleaned_data if form else {})
        except StoryError as refusal:
            error = str(refusal)
        else:
            messages.success(request, done)
            return redirect(story)
    elif request.method == "POST":
        error = _("The story is not changed. Correct the marked fields.")
    return render(
        request,
        "meetings/stories/story_transition.html",
        {
            "story": story,
            "form": form,
            "error": error,
            "title": title,
            "question": question,
            "button": button,
            "allowed": allowed(request.user, story),
        },
    )


@login_required
def story_share(request, pk):
    return _transition(
        request,
        pk,
        allowed=can.can_share,
        action=lambda story, _data: services.story_share(story=story, actor=request.user),
        title=_("Share the story with the committee"),
        question=_("Do you want to share the story with the committee? Its politicians can read it at once."),
        button=_("Share with the committee"),
        done=_("The story is shared with the committee."),
    )


@login_required
def story_public(request, pk):
    return _public_set(request, pk, public=True)


@login_required
def story_private(request, pk):
    return _public_set(request, pk, public=False)


def _public_set(request, pk, *, public: bool):
    """Show a shared story on the public pages, or take it off them: the leader's choice, confirmed first."""
    if public:
        title = _("Show the story on the public pages")
        question = _("Do you want to show the story, with its photo, on the portal's public pages, for everyone?")
        button, done = _("Show on the public pages"), _("The story is shown on the public pages.")
    else:
        title = _("Take the story off the public pages")
        question = _("Do you want to take the story off the public pages? The committee still sees it.")
        button, done = _("Take off the public pages"), _("The story is taken off the public pages.")
    return _transition(
        request,
        pk,
        allowed=can.can_set_public,
        action=lambda story, _data: services.story_public_set(story=story, actor=request.user, public=public),
        title=title,
        question=question,
        button=button,
        done=done,
    )


@login_required
def story_hide(request, pk):
    return _transition(
        request,
        pk,
        allowed=can.can_hide,
        action=lambda story, data: services.story_hide(story=story, actor=request.user, reason=data["reason"]),
        title=_("Hide the story"),
        question=_("Do you want to hide the story from the committee and the public pages? The author sees why."),
        button=_("Hide the story"),
        done=_("The story is hidden. The author has been told why."),
        form_class=StoryHideForm,
    )


@require_GET
def story_photo(request, pk):
    """The photo, to those who may see the story, and to everyone when the story is public."""
    story = Story.objects.filter(pk=pk).exclude(photo="").first()
    if story is None:
        raise Http404
    public = story.status == Story.Status.SHARED and story.is_public
    if not public and not Story.objects.visible_to(request.user).filter(pk=pk).exists():
        raise Http404
    try:
        handle = story.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=3600"
    return response


@login_required
@require_GET
def committee_feed(request, slug):
    committee = get_object_or_404(Committee.objects.active(), slug=slug)
    roles = request.user.roles
    if not (roles.is_administrator or committee.pk in roles.committee_ids):
        raise Http404
    workplaces = list(selectors.committee_workplaces(committee))
    filters = StoryFilterForm(request.GET or None, workplaces=workplaces)
    kind, workplace_id = "", None
    if filters.is_valid():
        kind, workplace_id = filters.cleaned_data["kind"], filters.cleaned_data["workplace"]
    page = Paginator(selectors.committee_stories(committee, kind=kind, workplace_id=workplace_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode({k: v for k, v in {"kind": kind, "workplace": workplace_id or ""}.items() if v})
    return render(
        request,
        "meetings/stories/committee_feed.html",
        {"committee": committee, "page": page, "filters": filters, "query": query},
    )


@require_GET
def public_list(request, slug):
    """The committee's public stories, for everyone, signed in or not."""
    committee = get_object_or_404(Committee.objects.active(), slug=slug)
    page = Paginator(selectors.public_stories(committee), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/stories/public_list.html", {"committee": committee, "page": page})
