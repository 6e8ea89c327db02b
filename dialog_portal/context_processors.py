from django.conf import settings


def portal(request):
    """The municipality's name and the signed-in person's roles, for navigation."""
    user = getattr(request, "user", None)
    roles = user.roles if user is not None and user.is_authenticated else None
    return {"municipality_name": settings.PORTAL_MUNICIPALITY_NAME, "roles": roles}
