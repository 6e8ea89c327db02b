from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.models import Committee, MeetingDate, User, Workplace, WorkplaceRole

# "tirsdag den 8. december 2026" (DANISH.md)
WEEKDAY_DATE = r"l \d\e\n j. F Y"
ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); the service checks each one's kind and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MeetingDateChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.committee.name}: {date_format(obj.date, WEEKDAY_DATE)}"


class WorkplaceChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MatterForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none())
    meeting_date = MeetingDateChoice(
        label=_("Treated at the meeting"),
        queryset=MeetingDate.objects.none(),
        help_text=_("One of the committee's meeting dates."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    case_number = forms.CharField(
        label=_("Case number"), max_length=60, help_text=_("The matter's number in the municipality's case system.")
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the matter is about, in plain words. Markdown: paragraphs, lists, *emphasis* and links."),
    )
    workplaces = WorkplaceChoice(
        label=_("Workplaces concerned"), queryset=Workplace.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(label=_("Hearing deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    urgency_reason = forms.CharField(
        label=_("Why is the matter urgent?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when the hearing period is shorter than the rule. Everyone heard sees the reason."),
    )
    files = MultipleFileField(
        label=_("Files"), required=False, help_text=_("PDF files or office documents (Word, Excel, PowerPoint).")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        roles = user.roles
        committees = Committee.objects.active()
        if not roles.is_administrator:
            committees = committees.filter(pk__in=roles.chair_committee_ids)
        self.fields["committee"].queryset = committees
        self.fields["meeting_date"].queryset = (
            MeetingDate.objects.filter(committee__in=committees, date__gt=timezone.localdate())
            .select_related("committee")
            .order_by("date", "committee__name")
        )
        self.fields["workplaces"].queryset = (
            Workplace.objects.active().filter(committees__in=committees).distinct().order_by("name")
        )


class DraftForm(forms.Form):
    text = forms.CharField(
        label=_("Your response"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Only the workplace sees the draft. The committee sees the response once you send it."),
    )
    commenters = forms.ModelMultipleChoiceField(
        label=_("Other employees who can comment"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The trio can always read the draft and comment."),
    )

    def __init__(self, *args, hearing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commenters"].queryset = (
            User.objects.filter(
                is_active=True,
                workplace_roles__in=WorkplaceRole.objects.current().filter(
                    workplace_id=hearing.workplace_id, role=WorkplaceRole.Role.EMPLOYEE
                ),
            )
            .distinct()
            .order_by("full_name")
        )
        if not self.fields["commenters"].queryset.exists():
            del self.fields["commenters"]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))


class PresentationForm(forms.Form):
    note = forms.CharField(
        label=_("What do you want to say at the meeting?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines, so the chair can place you on the programme."),
    )


class PresentationAcceptForm(forms.Form):
    at = forms.TimeField(label=_("Time on the programme"), widget=forms.TimeInput(attrs={"type": "time"}))


class PresentationDeclineForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("presentation", "Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The leader is told the reason."),
    )


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("The committee's decision"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    decision_url = forms.URLField(label=_("Link to the published minutes"), required=False, assume_scheme="https")
    is_public = forms.BooleanField(
        label=_("Show the matter on the public plan"),
        required=False,
        help_text=_("The summary, who was heard and the decision. Never the files or the responses."),
    )
