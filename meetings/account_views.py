"""The signed-in person's own account pages that the portal keeps rather than allauth.

The login e-mail address is the person's identity: the organisation import matches people by it and gives them
their roles. So nobody changes their own address (not even with a verification link); the secretariat changes it
in the administration, which is audited. allauth's e-mail management is not routed at all.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def account_email(request):
    return render(
        request,
        "account/email_readonly.html",
        {"email": request.user.email, "secretariat_email": settings.PORTAL_SECRETARIAT_EMAIL},
    )
