"""Text the portal refuses: invisible control characters, and numbers that look like a CPR number.

A control character (U+0000–U+001F, U+007F–U+009F) in a name or a note cannot be seen on a page, breaks the
subject of every e-mail the name goes into, and is never typed on purpose: it arrives from a copy and paste or an
old system's export. Every text field of every form refuses it (``install_form_guard``, run once at start-up, makes
every ``forms.CharField`` check for it), and so does the organisation import. Where a line break belongs (a
multi-line text box, a description column), line feed, carriage return and tab are let through.
"""

from __future__ import annotations

import functools
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext, ngettext

# NUL is refused by Django's own ProhibitNullCharactersValidator (and by the import) with its own message.
_CONTROL = re.compile(r"[\x01-\x1f\x7f-\x9f]")
LINE_BREAKS = frozenset("\t\n\r")


def control_characters(text: str, *, line_breaks: bool = False) -> list[str]:
    """The distinct control characters in ``text``, in order of appearance (tab and line ends allowed when asked)."""
    found: list[str] = []
    for match in _CONTROL.finditer(text or ""):
        char = match.group()
        if (line_breaks and char in LINE_BREAKS) or char in found:
            continue
        found.append(char)
    return found


def visible_code(char: str) -> str:
    """A character as its code point, so a person can find it: ``U+000B``."""
    return f"U+{ord(char):04X}"


def control_character_message(found: list[str]) -> str:
    codes = ", ".join(visible_code(c) for c in found)
    return ngettext(
        "The text contains an invisible control character (%(codes)s). Remove it and try again.",
        "The text contains invisible control characters (%(codes)s). Remove them and try again.",
        len(found),
    ) % {"codes": codes}


@deconstructible
class ControlCharacterValidator:
    """Refuse control characters; ``line_breaks`` lets tab, line feed and carriage return through."""

    code = "control_character"

    def __init__(self, *, line_breaks: bool = False):
        self.line_breaks = line_breaks

    def __call__(self, value):
        found = control_characters(str(value), line_breaks=self.line_breaks) if value else []
        if found:
            raise ValidationError(control_character_message(found), code=self.code)

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and other.line_breaks == self.line_breaks


def install_form_guard() -> None:
    """Make every ``forms.CharField`` (the portal's forms, the admin's, allauth's) refuse control characters, after
    its own validators, the way Django refuses NUL in each. The widget decides at validation time: a multi-line box
    (``Textarea``) keeps its line breaks; passwords are left alone (never shown, never sent). Hooked into
    ``run_validators`` rather than the field's constructor, so fields declared before this runs (the admin's forms
    are imported first) are guarded too. Run once, from ``MeetingsConfig.ready``."""

    if getattr(forms.CharField, "_refuses_control_characters", False):
        return
    original = forms.CharField.run_validators

    @functools.wraps(original)
    def run_validators(self, value):
        original(self, value)
        if value in self.empty_values or isinstance(self.widget, forms.PasswordInput):
            return
        ControlCharacterValidator(line_breaks=isinstance(self.widget, forms.Textarea))(value)

    forms.CharField.run_validators = run_validators
    forms.CharField._refuses_control_characters = True


# --- CPR numbers -------------------------------------------------------------------------------------------------
# A Danish personal identity number is DDMMYY-SSSS. Since 2007 the last four digits need not pass the modulus-11
# check, so a number is recognised by its date alone: six digits that are a real day (29 February counts, as some
# century makes it a leap year), then four digits, with a hyphen (or a dash, or nothing) between, and no digit
# directly before or after. Any other ten-digit run (a phone number with its country code, an account or case
# number) is not refused.
_CPR = re.compile(r"(?<![\d])(\d{2})(\d{2})\d{2}[-\u2010\u2011\u2013 ]?\d{4}(?![\d])")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_day(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def cpr_numbers(text: str) -> list[str]:
    """What in ``text`` looks like a CPR number, in order of appearance."""
    return [match.group() for match in _CPR.finditer(text or "") if _is_day(int(match.group(1)), int(match.group(2)))]


def cpr_message() -> str:
    return gettext(
        "The text contains something that looks like a CPR number. Personal data has no place here, and the portal "
        "is not for individual cases: remove the number and write about the matter in general terms."
    )


@deconstructible
class CprNumberValidator:
    """Refuse a text containing something that looks like a CPR number (``cpr_numbers``); nothing is stored."""

    code = "cpr_number"

    def __call__(self, value):
        if value and cpr_numbers(str(value)):
            raise ValidationError(cpr_message(), code=self.code)

    def __eq__(self, other):
        return isinstance(other, CprNumberValidator)


def cpr_like(text: str) -> bool:
    """Whether ``text`` holds something that looks like a Danish CPR number (``cpr_numbers``)."""
    return bool(cpr_numbers(text))
