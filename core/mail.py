"""E-mail as subject/text/HTML template triplets, rendered in the recipient's language, with an optional calendar
invitation (:class:`CalendarPart`)."""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.template.context import make_context
from django.template.loader import get_template, render_to_string
from django.utils import translation

_WHITESPACE = re.compile(r"\s+")


def clean_subject(subject: str) -> str:
    """A subject that is one valid header line whatever names went into it: control characters (a vertical tab
    from an old import, a carriage return) and line or paragraph separators become spaces, runs of spaces one."""
    cleaned = "".join(" " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch for ch in subject)
    return _WHITESPACE.sub(" ", cleaned).strip()


@dataclass(frozen=True)
class CalendarPart:
    """An iTIP invitation (RFC 6047): the iCalendar text and its METHOD (REQUEST, CANCEL). It goes out as a
    ``text/calendar; method=...; charset=UTF-8`` part beside the text and HTML, the part Outlook and Gmail act on
    (updating the entry they have), and as an ``.ics`` attachment for clients that only import files."""

    method: str
    content: bytes
    filename: str = "invitation.ics"

    @property
    def mimetype(self) -> str:
        return f"text/calendar; method={self.method}; charset=UTF-8"


class _Mail(EmailMultiAlternatives):
    def _create_mime_attachment(self, content, mimetype):
        if mimetype.startswith("text/calendar;"):
            # Django would write the parameters into the subtype and add a second charset; write the header whole.
            part = SafeMIMEText(content.decode("utf-8") if isinstance(content, bytes) else content, "calendar", "utf-8")
            part.replace_header("Content-Type", mimetype)
            return part
        return super()._create_mime_attachment(content, mimetype)


def render_plain_text(template_name: str, context: dict) -> str:
    """A subject or a plain-text part rendered as plain text: nothing is HTML-escaped, so "Tom & Jerry's" stays
    so. Includes and ``blocktranslate`` inherit the context's autoescape, so every part of the text is plain too."""
    template = get_template(template_name)
    return template.template.render(make_context(context, autoescape=False))


def recipient_language(to: list[str], context: dict) -> str:
    """The language a mail goes out in: the one its recipient chose (``language`` on the person in the context, or
    on the person with that e-mail address); Danish (LANGUAGE_CODE) until they choose."""
    person = context.get("person") or context.get("user")
    chosen = getattr(person, "language", None) if person is not None else None
    if chosen is None and len(to) == 1:
        user_model = get_user_model()
        if any(field.name == "language" for field in user_model._meta.get_fields()):
            chosen = user_model._default_manager.filter(email__iexact=to[0]).values_list("language", flat=True).first()
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def send_templated_mail(
    template_prefix: str,
    *,
    to: list[str],
    context: dict,
    language: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    calendar: CalendarPart | None = None,
) -> None:
    """Render ``<prefix>_subject.txt``, ``_message.txt`` and ``_message.html`` and send them, with the calendar
    invitation if one is given. The subject and the text part are plain text (never HTML-escaped); the HTML part
    is escaped as every page is. Everything is rendered in ``language`` or else the recipient's
    (:func:`recipient_language`)."""
    context = {
        "portal_url": settings.PORTAL_BASE_URL,
        "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
        **context,
    }
    with translation.override(language or recipient_language(to, context)):
        subject = clean_subject(render_plain_text(f"{template_prefix}_subject.txt", context))
        text = render_plain_text(f"{template_prefix}_message.txt", context)
        html = render_to_string(f"{template_prefix}_message.html", context)
    message = _Mail(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    if calendar is not None:
        message.attach_alternative(calendar.content, calendar.mimetype)
        message.attach(calendar.filename, calendar.content, "application/ics")
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    message.send()
