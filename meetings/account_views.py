"""The signed-in person's own account pages that the portal keeps rather than allauth.

The login e-mail address is the person's identity: the organisation import matches people by it and gives them
their roles. So nobody changes their own address (not even with a verification link); the secretariat changes it
in the administration, which is audited. allauth's e-mail management is not routed at all. The same goes for logins
from the municipality's identity provider: the page shows them, the secretariat links and unlinks them.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_GET, require_POST

from core.registry import notice_channels

from .errors import MeetingsError
from .forms import NoticePreferencesForm
from .notices import notice_choices, notice_preferences_set
from .services import person_language_set


@require_GET
@login_required
def account_email(request):
    return render(
        request,
        "account/email_readonly.html",
        {"email": request.user.email, "secretariat_email": settings.PORTAL_SECRETARIAT_EMAIL},
    )


@require_GET
@login_required
def account_connections(request):
    """The person's logins from the municipality's identity providers, shown but not changed: only the secretariat
    links and unlinks them (meetings/sso.py), so nobody attaches a login of their choice to an account."""
    from allauth.socialaccount.models import SocialAccount

    from .sso import sso_provider_name

    links = [
        {"provider_name": sso_provider_name(link.provider), "linked_at": link.date_joined, "used_at": link.last_login}
        for link in SocialAccount.objects.filter(user=request.user).order_by("date_joined")
    ]
    return render(
        request,
        "account/connections_readonly.html",
        {"links": links, "secretariat_email": settings.PORTAL_SECRETARIAT_EMAIL},
    )


@require_POST
def language_set(request):
    """Django's language switch (the cookie, back to the page), and for a signed-in person the choice saved on them,
    so it follows them to other devices and into their e-mails."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        person_language_set(person=request.user, language=language)
    return response


@login_required
def notice_preferences(request):
    """The person's choice per notice channel: an e-mail at once, the weekly digest (the default) or nothing."""
    current = notice_choices(request.user)
    channels = {key: notice_channels[key] for key in current}
    form = NoticePreferencesForm(request.POST or None, channels=channels, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            notice_preferences_set(person=request.user, choices=form.cleaned_data)
        except MeetingsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your choice of notices is saved."))
            return redirect("meetings:notice-preferences")
    return render(request, "meetings/notices/notice_preferences.html", {"form": form})
