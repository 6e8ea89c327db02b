"""Text the portal refuses: invisible control characters.

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
from django.utils.translation import ngettext

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


# --- CPR numbers (issue 17) ----------------------------------------------------------------------------------------
# Six digits that make a day and a month, an optional dash or space, four digits: 010203-1234, 0102031234.
_CPR_LIKE = re.compile(r"(?<!\d)(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-\u2010\u2011\u2013 ]?\d{4}(?!\d)")


def cpr_like(text: str) -> bool:
    """Whether ``text`` holds something that looks like a Danish CPR number (personal data has no place in stories
    and questions). Deliberately loose: a false alarm costs a rewording, a CPR number on a page costs far more."""
    return bool(_CPR_LIKE.search(text or ""))
