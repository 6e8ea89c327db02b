"""The portal's URLs plus the signed-in floor: a bare view behind the same middleware as every signed-in page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def signed_in_floor(request):
    """Session and user are loaded by the middleware before this runs, and the roles here (every page with the
    navigation reads them; the middleware leaves them to the first that asks); nothing else. The cheapest page a
    signed-in person can be served: the floor of every signed-in page."""
    _ = request.user.roles
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/signed-in-floor", signed_in_floor, name="bench-signed-in-floor"),
    path("", include("dialog_portal.urls")),
]

handler400 = "dialog_portal.views.bad_request"
handler500 = "dialog_portal.views.server_error"
