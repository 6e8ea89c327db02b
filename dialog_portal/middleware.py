"""Pages for a signed-in person and downloads are never kept by a shared cache or left in a browser's cache."""

from django.conf import settings
from django.db import DatabaseError
from django.utils.cache import add_never_cache_headers, patch_cache_control

# Exports and calendar files: personal or internal unless the view says they are public.
DOWNLOAD_TYPES = frozenset({"text/csv", "text/calendar"})


class PrivateCacheMiddleware:
    """A response to a signed-in person is marked ``private, no-store`` (with ``no-cache``, ``must-revalidate`` and
    ``max-age=0``): it holds their name, their roles and their data, and must not be served to the next person
    behind a proxy or read back from a shared computer's cache. A CSV or iCalendar download without a policy of its
    own is marked the same; one whose view chose a policy (the public committee feed is ``public``, the personal
    feed ``private, max-age=300`` for calendar apps) keeps it. Public pages for anonymous visitors are untouched, and
    so is a response its view marked ``public_asset`` (the brand stylesheet: the same bytes for everyone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "public_asset", False):
            return response
        signed_in = _signed_in(request)
        unmarked_download = _content_type(response) in DOWNLOAD_TYPES and not response.has_header("Cache-Control")
        if signed_in or unmarked_download:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return bool(user.is_authenticated)
    except DatabaseError:
        # The session cannot be read (the database is down; the page is the 503 already): go by the cookie.
        return settings.SESSION_COOKIE_NAME in request.COOKIES


def _content_type(response) -> str:
    return response.get("Content-Type", "").split(";", 1)[0].strip().lower()
