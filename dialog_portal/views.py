"""Project-level views that belong to no app."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def liveness(request):
    """For load balancers: the process answers. Touches neither the database nor templates, so the benchmark also
    uses it as the framework's own floor (the fastest page Django can serve in this configuration)."""
    return HttpResponse("ok", content_type="text/plain")
