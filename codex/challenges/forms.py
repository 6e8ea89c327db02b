from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from meetings.models import Committee, Meeting, Workplace

from ..positive_list.models import PolicyItem
from .models import MAX_HOURS, Proposal, Status


class _NameChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.committee.name if obj.committee_id else _('the city council')})"


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        where = obj.host.name if obj.host_id else obj.address
        when = dates.when(obj.starts_at, "weekday_datetime")
        return f"{when}, {where}" if where else when


def _hours_field(label):
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_HOURS,
        help_text=_("Roughly, in whole hours: the time a month the rule takes from the core task."),
    )


class ChallengeForm(forms.Form):
    workplace = _NameChoice(label=_("Workplace"), queryset=Workplace.objects.none())
    committee = _NameChoice(
        label=_("Committee"), queryset=Committee.objects.none(), help_text=_("The committee that decides.")
    )
    policy_item = _ItemChoice(
        label=_("Rule on the positive list"),
        queryset=PolicyItem.objects.none(),
        required=False,
        help_text=_("Leave it empty for any other rule or demand, and name it below."),
    )
    rule = forms.CharField(
        label=_("The rule or demand"),
        max_length=200,
        required=False,
        help_text=_("For example »Daily documentation of the children's sleep in the app«."),
    )
    description = forms.CharField(
        label=_("What does it demand, and what does it cost you?"), widget=forms.Textarea(attrs={"rows": 5})
    )
    hours_per_month = _hours_field(_("Hours a month away from the core task"))
    proposal = forms.ChoiceField(label=_("What do you propose?"), choices=Proposal.choices, widget=forms.RadioSelect)
    proposal_detail = forms.CharField(
        label=_("What instead?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How it could be simpler, or how long a trial you suggest."),
    )
    trio_agrees = forms.BooleanField(
        label=_("The trio stands behind the challenge"),
        required=False,
        help_text=_("Needed before you send it. The trio can read the draft here."),
    )

    def __init__(self, *args, user, challenge=None, **kwargs):
        super().__init__(*args, **kwargs)
        led = Workplace.objects.filter(pk__in=user.roles.led_workplace_ids)
        if challenge is not None:
            del self.fields["workplace"]
            led = Workplace.objects.filter(pk=challenge.workplace_id)
        else:
            self.fields["workplace"].queryset = led.order_by("name")
            if len(user.roles.led_workplace_ids) == 1:
                self.fields["workplace"].empty_label = None  # the one workplace they lead, chosen already
        committees = Committee.objects.active().filter(workplaces__in=led).distinct().order_by("name")
        self.fields["committee"].queryset = committees
        self.fields["policy_item"].queryset = (
            PolicyItem.objects.in_force()
            .filter(Q(committee__in=committees) | Q(committee__isnull=True))
            .select_related("committee")
            .order_by("title")
        )


class ScheduleForm(forms.Form):
    meeting = _MeetingChoice(
        label=_("Committee meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("No meeting fits: choose a date"),
    )
    treated_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only when none of the committee's meetings fits."),
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(
                committee_id=challenge.committee_id, status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()
            )
            .select_related("host")
            .order_by("starts_at")
        )

    def clean(self):
        data = super().clean()
        if not data.get("meeting") and not data.get("treated_on"):
            raise forms.ValidationError(_("Choose a meeting, or a date when no meeting fits."))
        return data


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("The committee's decision"),
        choices=[
            (Status.GRANTED, _("Granted")),
            (Status.TRIAL, _("Granted as a trial")),
            (Status.REJECTED, _("Rejected")),
            (Status.PASSED_ON, _("Passed to the city council")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("The committee's reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the challenge is rejected. Shown to the workplaces and on the public page."),
    )
    trial_ends_on = forms.DateField(
        label=_("The trial ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for a trial."),
    )
    trial_evaluation = forms.CharField(
        label=_("How will the trial be evaluated?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for a trial: what the committee looks at when it ends."),
    )


class EvaluationForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("The committee's evaluation"),
        choices=[
            ("permanent", _("Scale it up: make it permanent")),
            ("extend", _("Extend the trial")),
            ("stop", _("Stop the trial")),
        ],
        widget=forms.RadioSelect,
    )
    trial_ends_on = forms.DateField(
        label=_("New end date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only when the trial is extended."),
    )
    note = forms.CharField(
        label=_("What the evaluation showed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the trial stops."),
    )


class JoinForm(forms.Form):
    workplace = _NameChoice(label=_("Workplace"), queryset=Workplace.objects.none())
    hours_per_month = _hours_field(_("Hours a month it costs you"))
    note = forms.CharField(
        label=_("How does it cost you time?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, workplace_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = Workplace.objects.filter(pk__in=workplace_ids).order_by("name")
        if len(workplace_ids) == 1:
            self.fields["workplace"].empty_label = None
