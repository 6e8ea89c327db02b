"""E-mail as subject/text/HTML template triplets, rendered in the recipient's language."""

import re
import unicodedata

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

_WHITESPACE = re.compile(r"\s+")


def clean_subject(subject: str) -> str:
    """A subject that is one valid header line whatever names went into it: control characters (a vertical tab
    from an old import, a carriage return) and line or paragraph separators become spaces, runs of spaces one."""
    cleaned = "".join(" " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch for ch in subject)
    return _WHITESPACE.sub(" ", cleaned).strip()


def send_templated_mail(
    template_prefix: str,
    *,
    to: list[str],
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    """Render ``<prefix>_subject.txt``, ``_message.txt`` and ``_message.html`` and send them."""
    context = {
        "portal_url": settings.PORTAL_BASE_URL,
        "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
        **context,
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = clean_subject(render_to_string(f"{template_prefix}_subject.txt", context))
        text = render_to_string(f"{template_prefix}_message.txt", context)
        html = render_to_string(f"{template_prefix}_message.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    message.send()
