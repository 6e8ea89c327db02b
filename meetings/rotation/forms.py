"""Forms for the rotation's pages. They only parse; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import DATE, TIME, freeze_choices, plausible_day
from ..models import HostingWish, PlannedMeeting, Workplace

REASON_HELP = _("Needed when the change breaks one of the rotation's rules; kept with the plan.")


class MeetingDateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE, validators=[plausible_day])
    start = forms.TimeField(label=_("Starts"), widget=TIME)
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15, max_value=1440)


class HostSwapForm(forms.Form):
    host = forms.ModelChoiceField(label=_("New host"), queryset=Workplace.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )

    def __init__(self, *args, committee, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Workplace.objects.filter(committees=committee, is_active=True).order_by("name")
        if exclude is not None:
            qs = qs.exclude(pk=exclude.pk)
        self.fields["host"].queryset = qs
        freeze_choices(self)


class GuestMoveForm(forms.Form):
    workplace = forms.ModelChoiceField(label=_("Workplace"), queryset=Workplace.objects.none())
    to = forms.ModelChoiceField(label=_("Invite to the meeting on"), queryset=PlannedMeeting.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = Workplace.objects.filter(
            committees=plan.committee, is_active=True
        ).order_by("name")
        self.fields["to"].queryset = plan.meetings.filter(host__isnull=False).order_by("date")
        self.fields["to"].label_from_instance = lambda p: f"{p.date:%d.%m.%Y} – {p.host.name if p.host else ''}"
        self.fields["to"].queryset = self.fields["to"].queryset.select_related("host")
        freeze_choices(self)


class MeetingEditForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE, validators=[plausible_day])
    start = forms.TimeField(label=_("Starts"), widget=TIME)
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15, max_value=1440)
    agenda_url = forms.URLField(
        label=_("Link to the committee's agenda"), required=False, max_length=200, assume_scheme="https"
    )
    programme = forms.CharField(
        label=_("Programme for the on-site part"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = forms.CharField(
        label=_("Note to those invited (when the time changes)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PresentationForm(forms.Form):
    presentation = forms.CharField(
        label=_("What the workplace will present"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few lines the committee can read before the meeting: what you show and who presents."),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Short minutes of the on-site dialogue"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )


class CancellationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the workplace cannot host"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplanForm(forms.Form):
    note = forms.CharField(
        label=_("Message to those affected"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the notice to the new host, the host that withdrew, the guests and the committee."),
    )
    # The host the page showed as next in line (0: nobody, so the date is cancelled). If it has changed by the
    # time the form is sent, nothing changes and the page shows the new proposal.
    expected_host = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class HostingWishesForm(forms.Form):
    """Months a workplace would like to host its committee in, and months it would rather not (issue 20)."""

    prefer = forms.TypedMultipleChoiceField(
        label=_("Months you would like to host in"),
        choices=HostingWish.Month.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    avoid = forms.TypedMultipleChoiceField(
        label=_("Months you would rather not host in"),
        choices=HostingWish.Month.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MeetingOutcomeForm(forms.Form):
    """What happened at a meeting that is over, and which invited workplaces took part."""

    outcome = forms.ChoiceField(
        label=_("What happened?"),
        choices=[
            ("held", _("The meeting was held")),
            ("no_show", _("The meeting did not take place")),
            ("cancelled_late", _("The meeting was cancelled at the last minute")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happened.")},
    )
    attended = forms.ModelMultipleChoiceField(
        label=_("Invited workplaces that took part"),
        queryset=Workplace.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only counted when the meeting was held. Untick a workplace that did not come."),
    )
    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, guests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = guests
        self.fields["attended"].initial = list(guests)
        if not guests.exists():
            del self.fields["attended"]
