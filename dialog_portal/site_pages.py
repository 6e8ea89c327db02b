"""The pages a Danish public site must have, and the municipality's look: the accessibility statement (or the way to
the one the municipality publishes in the WAS tool), the privacy notice, and the brand colour's stylesheet.

Public (no login, and reachable before two-factor is set up: meetings/middleware.py lets them through), composed of
settings only, so they live on the top floor. Every page links to the first two from its footer
(``templates/includes/_footer_links.html``), error pages included.
"""

import hashlib
import logging
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from codex.formatting import render_markdown

logger = logging.getLogger(__name__)

# What the portal knows does not meet WCAG 2.1 AA, for the built-in statement. Keep it honest: add what a review
# finds, remove what is fixed, and set DIALOG_ACCESSIBILITY_REVIEWED to the day of the review.
KNOWN_EXCEPTIONS = (
    _(
        "The administration that only the secretariat uses is Django's standard administration. It has not been "
        "reviewed like the rest of the portal, and some of its pages lack, for example, field names that screen "
        "readers can announce."
    ),
    _(
        "A development agreement downloaded as PDF, or saved as PDF from its print view, is not tagged for screen "
        "readers. Use the agreement's page in the portal, which holds the same text."
    ),
    _(
        "Texts that people write themselves (the codex, agreements, the purpose of a visit) may lack headings or "
        "have links whose text does not say where they lead. The portal offers simple formatting, but does not "
        "check the texts."
    ),
)


# --- The stylesheet with the brand colour -------------------------------------------------------------------------


def brand_css_text() -> str:
    """The custom property portal.css builds on, with the colour checked at startup (dialog_portal/branding.py)."""
    return f":root {{ --portal-brand: {settings.PORTAL_BRAND_COLOUR}; }}\n"


def brand_version() -> str:
    return hashlib.sha256(brand_css_text().encode()).hexdigest()[:12]


@require_safe
def brand_css(request):
    """The brand colour as a stylesheet. The Content Security Policy forbids inline styles, and a file written at
    startup would need a collectstatic after every change of the setting (a forgotten one keeps the old colour
    without a word). So a view answers, from the setting, at an address that carries the colour's digest: browsers
    and proxies keep it for a year and ask again only when the colour (and so the address) changes."""
    response = HttpResponse(brand_css_text(), content_type="text/css; charset=utf-8")
    if request.GET.get("v") == brand_version():
        patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    else:  # an old or missing digest: answer, but briefly
        patch_cache_control(response, public=True, max_age=300)
    response.public_asset = True  # the same for everyone: dialog_portal/middleware.py leaves it shareable
    return response


def brand_stylesheet_url() -> str:
    return f"{reverse('brand-css')}?v={brand_version()}"


def logo_url() -> str:
    """The logo's address, or empty. A static path missing from the collected files is left out (and logged), so a
    mistyped setting never takes every page down with it."""
    if not settings.PORTAL_LOGO or settings.PORTAL_LOGO.startswith("https://"):
        return settings.PORTAL_LOGO
    return _static_logo_url(settings.PORTAL_LOGO)


@cache
def _static_logo_url(path: str) -> str:
    try:
        return static(path)
    except ValueError:  # ManifestStaticFilesStorage: not collected
        logger.error("PORTAL_LOGO %s is not among the collected static files; the header shows no logo.", path)
        return ""


def accessibility_url() -> str:
    """Where the footer's link leads: the statement in the WAS tool, or the portal's own."""
    return settings.DIALOG_WAS_URL or reverse("accessibility-statement")


def site_context() -> dict:
    """What every page's header and footer need, also for the error pages that render without a request."""
    return {
        "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
        "brand_stylesheet_url": brand_stylesheet_url(),
        "logo_url": logo_url(),
        "accessibility_url": accessibility_url(),
        "privacy_url": reverse("privacy-notice"),
    }


# --- The accessibility statement --------------------------------------------------------------------------------


@require_safe
def was_redirect(request):
    """``/was``, the address Danish public sites give their accessibility statement: to the WAS tool's page when the
    municipality has one there, else to the portal's own."""
    return redirect(accessibility_url())


@require_safe
def accessibility_statement(request):
    if settings.DIALOG_WAS_URL:  # one statement, the one the municipality publishes
        return redirect(settings.DIALOG_WAS_URL)
    return render(
        request,
        "dialog_portal/accessibility_statement.html",
        {
            "conformance": settings.DIALOG_ACCESSIBILITY_CONFORMANCE,
            "exceptions": KNOWN_EXCEPTIONS if settings.DIALOG_ACCESSIBILITY_CONFORMANCE != "full" else (),
            "reviewed": settings.DIALOG_ACCESSIBILITY_REVIEWED,
            "email": settings.DIALOG_ACCESSIBILITY_EMAIL,
            "phone": phone_contact(settings.DIALOG_ACCESSIBILITY_PHONE),
            "site": settings.PORTAL_BASE_URL,
        },
    )


def phone_contact(number: str) -> dict | None:
    """A phone number as Danes write it ("12 34 56 78") and as a ``tel:`` link, or None when none is set."""
    number = number.strip()
    if not number:
        return None
    digits = re.sub(r"[^\d+]", "", number)
    shown = number
    if re.fullmatch(r"(\+45)?\d{8}", digits):
        local = digits[-8:]
        shown = " ".join(local[i : i + 2] for i in range(0, 8, 2))
        digits = "+45" + local
    return {"shown": shown, "href": f"tel:{digits}"}


# --- The privacy notice -----------------------------------------------------------------------------------------


def privacy_text():
    """The municipality's own notice from DIALOG_PRIVACY_NOTICE_FILE, as safe HTML, or None for the built-in one.
    Read on every visit, so an edit shows at once; a file gone missing since startup is logged and the built-in
    notice shown, never an error page."""
    path = settings.DIALOG_PRIVACY_NOTICE_FILE
    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        logger.error("DIALOG_PRIVACY_NOTICE_FILE %s cannot be read (%s); showing the built-in notice.", path, exc)
        return None
    return render_markdown(text, headings=True)


@require_safe
def privacy_notice(request):
    return render(
        request,
        "dialog_portal/privacy_notice.html",
        {
            "custom": privacy_text(),
            "dpo": {
                "name": settings.DIALOG_DPO_NAME,
                "email": settings.DIALOG_DPO_EMAIL,
                "phone": phone_contact(settings.DIALOG_DPO_PHONE),
            },
            "secretariat_email": settings.PORTAL_SECRETARIAT_EMAIL,
        },
    )


@require_safe
def favicon(request):
    """Browsers and feed readers that ask for /favicon.ico without reading the page's icon links get the icon."""
    return redirect(static("favicon/favicon.ico"), permanent=True)
