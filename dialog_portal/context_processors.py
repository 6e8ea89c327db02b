from .site_pages import site_context


def portal(request):
    """The municipality's name, look and footer links, and the signed-in person's roles, for navigation."""
    user = getattr(request, "user", None)
    roles = user.roles if user is not None and user.is_authenticated else None
    return {**site_context(), "roles": roles}
