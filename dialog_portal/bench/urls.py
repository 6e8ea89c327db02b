"""The portal's URLs plus the signed-in floor: a bare view behind the same middleware as every signed-in page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def signed_in_floor(request):
    """Session, user and roles are loaded by the middleware (``LoadRolesMiddleware``) before this runs; the view
    itself does nothing. The cheapest page a signed-in person can be served: the floor of every signed-in page."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/signed-in-floor", signed_in_floor, name="bench-signed-in-floor"),
    path("", include("dialog_portal.urls")),
]

handler400 = "dialog_portal.views.bad_request"
handler500 = "dialog_portal.views.server_error"
