"""The signed-in person's own account pages that the portal keeps rather than allauth.

The login e-mail address is the person's identity: the organisation import matches people by it and gives them
their roles. So nobody changes their own address (not even with a verification link); the secretariat changes it
in the administration, which is audited. allauth's e-mail management is not routed at all. The same goes for logins
from the municipality's identity provider: the page shows them, the secretariat links and unlinks them.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views import i18n
from django.views.decorators.http import require_GET, require_POST

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
