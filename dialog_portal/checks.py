"""System checks for the municipality's settings that can only be checked once the apps are loaded."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Error, register


@register()
def logo_is_a_static_file(app_configs, **kwargs):
    """A PORTAL_LOGO path must name a static file: found now, it is collected on deploy and every header shows it."""
    logo = settings.PORTAL_LOGO
    if logo and not logo.startswith("https://") and not finders.find(logo):
        return [
            Error(
                f"PORTAL_LOGO {logo} is not among the static files.",
                hint="Put the file in a folder of STATICFILES_DIRS (static/branding/ in the project), or give an "
                "https address.",
                id="dialog_portal.E001",
            )
        ]
    return []
