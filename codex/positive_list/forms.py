"""Forms of the positive list. They check the shape of what is typed; the services decide the rules and their
messages are shown above the form, which keeps what was typed."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Committee, User

from .models import OwnerKind, PolicyKind, ReviewDecision
from .permissions import can_add
from .selectors import CITY_COUNCIL, CITY_COUNCIL_NAME

DATE_INPUT = {"type": "date"}


def date_input():
    # A date field takes ISO dates whatever the language; the Danish format would leave it empty.
    return forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.email})"


class PolicyItemForm(forms.Form):
    """Add or change an item. ``lists`` (on adding) are the lists the person may add to, as (key, name)."""

    policy_list = forms.ChoiceField(label=_("On the list of"))
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PolicyKind.choices)
    summary = forms.CharField(
        label=_("What it is for"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    link_url = forms.URLField(label=_("Link to the document"), required=False, max_length=500, assume_scheme="https")
    owner_kind = forms.ChoiceField(label=_("Owner"), choices=OwnerKind.choices, widget=forms.RadioSelect)
    owner_title = forms.CharField(
        label=_("The head of centre's position"),
        required=False,
        max_length=200,
        help_text=_("E.g. »Centerchef for Dagtilbud«. It is shown on the public pages; a name is not."),
    )
    owner_person = PersonChoice(
        label=_("The owner in the portal"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("Reminded before each review; may change and review the item."),
    )
    demands_reporting = forms.BooleanField(label=_("Reporting"), required=False)
    demands_documentation = forms.BooleanField(label=_("Documentation"), required=False)
    demands_meetings = forms.BooleanField(label=_("Meetings"), required=False)
    demands = forms.CharField(
        label=_("What it demands of the workplaces"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In plain words: what, how often, and roughly how much time it takes."),
    )
    adopted_on = forms.DateField(label=_("Adopted on"), widget=date_input())
    next_review_on = forms.DateField(label=_("Next review"), widget=date_input())

    def __init__(self, *args, lists=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lists is None:
            del self.fields["policy_list"]
        else:
            self.fields["policy_list"].choices = lists
        self.fields["owner_person"].queryset = User.objects.filter(is_active=True, erased_at__isnull=True).order_by(
            "full_name", "pk"
        )

    def item_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("policy_list", None)
        return data


def list_choices(user, committees) -> list[tuple[str, str]]:
    """The lists a person may add to, as form choices: the city council's for the secretariat, then committees."""
    choices = [(CITY_COUNCIL, str(CITY_COUNCIL_NAME))] if can_add(user, None) else []
    return choices + [(c.slug, c.name) for c in committees if can_add(user, c)]


def committee_of_choice(key: str) -> Committee | None:
    return None if key == CITY_COUNCIL else Committee.objects.filter(slug=key).first()


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why it is kept, simplified or abolished. It is shown on the public list."),
    )
    changes = forms.CharField(
        label=_("What was simplified"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when simplifying: what the workplaces no longer have to do."),
    )
    next_review_on = forms.DateField(
        label=_("Next review"),
        required=False,
        widget=date_input(),
        help_text=_("When keeping or simplifying."),
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        widget=date_input(),
        help_text=_("The date of the committee's decision."),
    )

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A decision cannot be dated in the future."))
        return day


class ListFilterForm(forms.Form):
    SHOW_IN_FORCE = "gaeldende"
    SHOW_REMOVED = "fjernet"

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *PolicyKind.choices])
    demand = forms.ChoiceField(
        label=_("Demands"),
        required=False,
        choices=[
            ("", _("All demands")),
            ("reporting", _("Reporting")),
            ("documentation", _("Documentation")),
            ("meetings", _("Meetings")),
        ],
    )
    vis = forms.ChoiceField(
        required=False, choices=[(SHOW_IN_FORCE, _("In force")), (SHOW_REMOVED, _("Removed"))], widget=forms.HiddenInput
    )
