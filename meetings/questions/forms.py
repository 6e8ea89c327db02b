from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import CprNumberValidator
from core.widgets import PlainSelect
from meetings.models import QUESTION_TEXT_MAX, Workplace

from .selectors import STATUS_FILTERS


class WorkplaceChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _text_field(label, help_text) -> forms.CharField:
    """A question's or an answer's text: plain text, at most ``QUESTION_TEXT_MAX`` characters, no CPR number."""
    return forms.CharField(
        label=label,
        max_length=QUESTION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[CprNumberValidator()],
        help_text=help_text,
    )


class QuestionForm(forms.Form):
    workplaces = WorkplaceChoice(
        label=_("Workplaces you ask"),
        queryset=Workplace.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose several to ask them the same question. Each answers on its own."),
    )
    text = _text_field(
        _("Your question"),
        _(
            "Ask about the workplace's work in general. Individual cases do not belong here: no names of citizens or "
            "employees, and no CPR numbers. The committee and the secretariat can read the question and the answer."
        ),
    )
    no_individual_case = forms.BooleanField(
        label=_("The question is not about an individual case or a named person"),
        error_messages={"required": _("Tick the box to confirm that the question is not about an individual case.")},
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplaces"].queryset = Workplace.objects.active().under(committee).order_by("name")


class AnswerForm(forms.Form):
    text = _text_field(
        _("Your answer"),
        _(
            "The asker and the whole committee read the answer. It cannot be changed afterwards; a correction is "
            "added as a new answer. No names of citizens or employees, and no CPR numbers."
        ),
    )


class PassOnForm(forms.Form):
    name = forms.CharField(label=_("Name of the head of centre"), max_length=200)
    email = forms.EmailField(label=_("E-mail address of the head of centre"))
    note = forms.CharField(
        label=_("Why does the question belong with the administration?"),
        required=False,
        max_length=QUESTION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[CprNumberValidator()],
        help_text=_("The asker and the committee see who has the question now, and why."),
    )


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    workplace = forms.TypedChoiceField(
        label=_("Workplace"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + [(k, v) for k, v in STATUS_FILTERS.items()]
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain choices, read here: the page runs no query while it renders.
        workplaces = Workplace.objects.under(committee).order_by("name").values_list("pk", "name")
        self.fields["workplace"].choices = [("", _("All workplaces")), *workplaces]
