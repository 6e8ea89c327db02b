"""After a visit: the codex's mirror questions, answered anonymously by those who took part.

The codex app stores the scores apart from who answered (codex.services.mirror_answers_record);
this module only decides who may answer for a visit and under which committee the answers count.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from codex.models import AnswerReceipt, MirrorQuestion

from ..models import Visit

SCALE = [(str(n), str(n)) for n in range(1, 6)]


def occasion_key(visit: Visit) -> str:
    return f"visit:{visit.pk}"


def committee_for(visit: Visit):
    """The responsible committee the visiting politicians sit in (the workplace's first otherwise)."""
    workplace_committees = list(visit.workplace.committees.all())
    participant_ids = {p.person_id for p in visit.participants.all()}
    for committee in workplace_committees:
        if committee.memberships.current().filter(user_id__in=participant_ids).exists():
            return committee
    return workplace_committees[0] if workplace_committees else None


def has_answered(person, visit: Visit) -> bool:
    return has_answered_key(person, occasion_key(visit))


def has_answered_key(person, key: str) -> bool:
    """Whether the person has answered the mirror questions for an occasion (a visit or a meeting)."""
    return AnswerReceipt.objects.filter(person=person, occasion_key=key).exists()


class MirrorForm(forms.Form):
    """One optional 1–5 answer per active mirror question."""

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


def active_questions():
    return MirrorQuestion.objects.active()
