"""The codex's mirror questions, asked after an occasion (a workplace visit, a committee meeting).

The codex owns the questions, the form, the one page (``mirror_views.mirror_answer``, template
``codex/mirror_form.html``) and the rule that records the answers (``services.mirror_answers_record``). What an
occasion is, who took part in it and when it is over belongs to the feature that holds it: each registers an
:class:`Occasion` under its kind in ``core.registry.mirror_occasions`` (the codex stands below the features and
cannot import them).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TiedErrorsMixin
from core.registry import mirror_occasions

from .models import AnswerReceipt, MirrorQuestion

SCALE = [(str(n), str(n)) for n in range(1, 6)]


class Occasion:
    """What a feature tells the codex about its occasions. Subclass it and register an instance under ``kind``."""

    kind: str  # a codex.models.OccasionKind value
    intro = ""  # the page's first sentence, translated
    answered = _("You have already answered. Thank you.")

    def find(self, pk: int):
        """The occasion by id, or None."""
        raise NotImplementedError

    def get_for_user(self, user, pk: int):
        """The occasion as the person may see it; Http404 otherwise."""
        raise NotImplementedError

    def took_part(self, person, obj) -> bool:
        """Whether the person may answer for the occasion at all (took part in it, hosted it)."""
        raise NotImplementedError

    def not_yet(self, obj) -> str | None:
        """Why the questions are not open yet (the occasion has not taken place), or None."""
        return None

    def committee(self, obj):
        """The committee whose results the answers count towards (None when there is none)."""
        raise NotImplementedError

    def day(self, obj) -> dt.date:
        raise NotImplementedError

    def lead(self, obj) -> str:
        """The line under the page's heading that names the occasion."""
        raise NotImplementedError

    def key(self, obj) -> str:
        return f"{self.kind}:{obj.pk}"


def occasion_for_key(key: str):
    """The registered occasion and the object a key (``"visit:42"``) names; (None, None) when there is none."""
    kind, _sep, pk = (key or "").partition(":")
    occasion = mirror_occasions.get(kind)
    if occasion is None or not pk.isdigit():
        return None, None
    obj = occasion.find(int(pk))
    return (occasion, obj) if obj is not None else (None, None)


def has_answered(person, key: str) -> bool:
    """Whether the person has answered the mirror questions for an occasion."""
    return AnswerReceipt.objects.filter(person=person, occasion_key=key).exists()


def active_questions():
    return MirrorQuestion.objects.active()


class MirrorForm(TiedErrorsMixin, forms.Form):
    """One optional 1–5 answer per active mirror question; "answer at least one" marks every question."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=SCALE,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def scores(self) -> dict[int, int]:
        return {q.pk: int(self.cleaned_data[f"q{q.pk}"]) for q in self.questions if self.cleaned_data.get(f"q{q.pk}")}

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"q{q.pk}") for q in self.questions):
            raise forms.ValidationError(_("Answer at least one statement."))
        return cleaned
