"""Forms for visits. They only parse; the services decide what is allowed."""

import dataclasses
import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from core.pickers import Pick, Picker

from ..forms import DATE, DATETIME, MAX_ID, TIME, WorkplaceFilterForm, plausible_day
from ..models import (
    Committee,
    CommitteeMembership,
    User,
    Visit,
    VisitOffer,
    VisitSettings,
    Workplace,
    WorkplaceTie,
)
from .rules import MAX_NOTICE_DAYS
from .slots import OfferTerms, OfferTimes, SingleTime, WeeklyTimes


class VisitFinderForm(WorkplaceFilterForm):
    """The workplace filters plus free time, "not visited" and the sort that steers attention."""

    SORT_CHOICES = [("fewest", _("Fewest visits in the last 12 months first")), ("name", _("Name"))]

    free_from = forms.DateField(label=_("Free time from"), required=False, widget=DATE)
    free_to = forms.DateField(label=_("Free time until"), required=False, widget=DATE)
    not_visited = forms.BooleanField(label=_("Only workplaces I have not visited"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        if user.roles.is_politician and not user.roles.is_administrator:
            kwargs["committees"] = Committee.objects.active().filter(pk__in=user.roles.committee_ids)
            kwargs["committee_ids"] = user.roles.committee_ids
            kwargs["all_committees_label"] = _("All my committees")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("free_from"), data.get("free_to")
        if start and end and end < start:
            self.add_error("free_to", _("The end of the period must come after its start."))
        return data


class VisitBookForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the visit"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What would you like to see and learn? The workplace sees this."),
    )
    colleague = forms.ModelChoiceField(
        label=_("Bring a colleague from the committee (optional)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No colleague"),
    )
    tie_seen = forms.BooleanField(label=_("I have seen my declared tie to this workplace"), required=False)

    def __init__(self, *args, workplace, booker, has_ties: bool, **kwargs):
        super().__init__(*args, **kwargs)
        committee_ids = workplace.committees.filter(is_active=True).values("pk")
        self.fields["colleague"].queryset = (
            User.objects.filter(
                is_active=True,
                memberships__in=CommitteeMembership.objects.current().filter(committee_id__in=committee_ids),
            )
            .exclude(pk=booker.pk)
            .distinct()
            .order_by("full_name")
        )
        if has_ties:
            self.fields["tie_seen"].required = True
        else:
            del self.fields["tie_seen"]


def _field_names(value_class) -> list[str]:
    return [f.name for f in dataclasses.fields(value_class)]


class VisitOfferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=VisitOffer.Kind.choices, widget=forms.RadioSelect, initial="single"
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        required=False,
        widget=DATETIME,
        validators=[plausible_day],
    )
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DATETIME, validators=[plausible_day])
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        choices=[("", "—"), *Committee.Weekday.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    start_time = forms.TimeField(label=_("From"), required=False, widget=TIME)
    end_time = forms.TimeField(label=_("To"), required=False, widget=TIME)
    first_day = forms.DateField(label=_("First day"), required=False, widget=DATE, validators=[plausible_day])
    last_day = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DATE,
        help_text=_("At most a year later."),
        validators=[plausible_day],
    )
    slot_minutes = forms.IntegerField(label=_("Length of a visit (minutes)"), min_value=15, max_value=480, initial=60)
    min_politicians = forms.IntegerField(label=_("Fewest politicians"), min_value=1, max_value=20, initial=1)
    max_politicians = forms.IntegerField(label=_("Most politicians at once"), min_value=1, max_value=20, initial=4)
    topics = forms.CharField(
        label=_("What we would like to show"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    practical_notes = forms.CharField(
        label=_("Practical notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Where to meet, parking, step-free access."),
    )

    # The fields each kind needs, the value it becomes, and what to say when one is missing.
    KINDS = {
        VisitOffer.Kind.SINGLE: (SingleTime, _("Give a start and an end; the end must come after the start.")),
        VisitOffer.Kind.WEEKLY: (WeeklyTimes, _("Give a weekday, a time of day and the first and last day.")),
    }
    TERMS = ("slot_minutes", "min_politicians", "max_politicians", "topics", "practical_notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            tomorrow = timezone.localdate() + dt.timedelta(days=1)
            self.initial.setdefault("first_day", tomorrow)
            self.initial.setdefault("last_day", tomorrow + dt.timedelta(days=90))

    def fieldset(self, kind: str) -> list:
        """The bound fields of one kind, for the page's fieldset of that kind."""
        times, _missing = self.KINDS[kind]
        return [self[name] for name in _field_names(times)]

    def single_fields(self):
        return self.fieldset(VisitOffer.Kind.SINGLE)

    def weekly_fields(self):
        return self.fieldset(VisitOffer.Kind.WEEKLY)

    def terms_fields(self):
        return [self[name] for name in self.TERMS]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in self.KINDS:
            # The other kind's fields are hidden on the page and not used: what they hold cannot fail the form.
            for other, (other_times, _missing) in self.KINDS.items():
                if other != kind:
                    for name in _field_names(other_times):
                        self._errors.pop(name, None)
            times, missing = self.KINDS[kind]
            for name in _field_names(times):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, missing)
        return data

    def offer(self) -> tuple[OfferTimes, OfferTerms]:
        """What the leader offers, as ``services.visit_offer_create`` takes it; only on a valid form."""
        data = self.cleaned_data
        times, _missing = self.KINDS[data["kind"]]
        return (
            times(**{name: data[name] for name in _field_names(times)}),
            OfferTerms(**{name: data[name] for name in self.TERMS}),
        )


class VisitSettingsForm(forms.ModelForm):
    class Meta:
        model = VisitSettings
        fields = ["auto_confirm", "monthly_cap", "booking_notice_days", "cancel_notice_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("booking_notice_days", "cancel_notice_days"):
            self.fields[name].required = False  # left out or empty: unchanged
            self.fields[name].max_value = MAX_NOTICE_DAYS
            self.fields[name].widget.attrs["max"] = MAX_NOTICE_DAYS
            self.fields[name].validators.append(MaxValueValidator(MAX_NOTICE_DAYS))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give a reason, so the politicians understand.")},
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class VisitMoveForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("New time"), queryset=None, widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = lambda s: (
            f"{dates.when(s.starts_at, 'weekday_datetime')}–{dates.when(s.ends_at, 'time')}"
        )


class PoliticianFeedbackForm(forms.Form):
    text = forms.CharField(label=_("What did you learn?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    rating = forms.TypedChoiceField(
        label=_("How useful was the visit?"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = not useful, 5 = very useful"),
    )


class WorkplaceFeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("What we showed, and what we would like the committee to know"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


def tie_workplace_picker() -> Picker:
    """The workplaces a tie may be declared to: every active one, searched as one types (2,000 at the largest
    municipality's scale: never a select of them all)."""
    return Picker(Workplace.objects.active(), value_field="pk", label_field="name")


class WorkplaceTieForm(forms.ModelForm):
    """The workplace is a search field (core/pickers.py): ``workplace`` holds the chosen workplace's number (filled
    by static/js/combobox.js, or sent alone), ``workplace_navn`` the typed name. Without JavaScript a typed name
    that fits several workplaces lists them as choices (``workplace_choice``) under the field."""

    workplace_navn = forms.CharField(
        label=_("Workplace"), required=False, max_length=200, help_text=_("Type part of the name and choose.")
    )
    workplace = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    workplace_choice = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    class Meta:
        model = WorkplaceTie
        fields = ["kind", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.picker = tie_workplace_picker()
        self.matches: list[tuple[str, str]] = []

    def clean(self):
        data = super().clean()
        text = (data.get("workplace_navn") or "").strip()
        value = (data.get("workplace_choice") or data.get("workplace") or "").strip()
        if "workplace_navn" in self.errors:
            return data
        chosen = None
        if value.isdigit() and int(value) <= MAX_ID:
            chosen = self.picker.queryset.filter(pk=int(value)).first()
            # A chosen workplace stands while the field still holds (part of) its name, or when no name is sent.
            if chosen is not None and "workplace_navn" in self.data and text.casefold() not in chosen.name.casefold():
                chosen = None
        if chosen is None and text:
            pick = self.picker.resolve(value="", text=text)
            if pick.value:
                chosen = self.picker.queryset.get(pk=int(pick.value))
            elif pick.matches:
                self.matches = pick.matches
                self.add_error(
                    "workplace_navn",
                    _("Several workplaces match “%(text)s”. Choose one below.") % {"text": text},
                )
            else:
                self.add_error("workplace_navn", _("Nothing matches “%(text)s”.") % {"text": text})
        elif chosen is None:
            self.add_error("workplace_navn", _("Write the workplace's name and choose it."))
        data["workplace"] = chosen
        return data

    def tie(self) -> dict:
        """What the service needs: the workplace, the kind of tie and the note."""
        return {
            "workplace": self.cleaned_data["workplace"],
            "kind": self.cleaned_data["kind"],
            "note": self.cleaned_data["note"],
        }

    def shown_pick(self) -> Pick:
        """What the search field shows: the chosen workplace's name, else what was typed (marked when it failed)."""
        if not self.is_bound:
            return Pick()
        typed = str(self.data.get("workplace_navn", ""))
        if self.errors.get("workplace_navn"):
            return Pick(text=typed)
        chosen = self.cleaned_data.get("workplace") if hasattr(self, "cleaned_data") else None
        if chosen is not None:
            return Pick(value=str(chosen.pk), label=chosen.name)
        return Pick(label=typed)


class VisitAdminFilterForm(forms.Form):
    """The secretariat's visit list and export: each filter that does not parse (a number beyond any id, a word
    where an id belongs) is left out instead of failing the page."""

    arbejdsplads = forms.SlugField(required=False, max_length=50)
    person = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = forms.ChoiceField(required=False, choices=Visit.Status.choices)
    # The names typed in the search fields (core/pickers.py); absent on links and in the export's address.
    arbejdsplads_navn = forms.CharField(required=False, max_length=200)
    person_navn = forms.CharField(required=False, max_length=200)
    TEXTS = {"arbejdsplads": "arbejdsplads_navn", "person": "person_navn"}

    def filters(self) -> dict:
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in self.TEXTS.values()
        }

    def picks(self, **pickers: Picker) -> dict[str, Pick]:
        """Each search field's pick, by the field's name: the chosen value, or the typed name resolved. A typed
        name the form refuses (a control character, too long) is kept as typed and matches nothing."""
        filters = self.filters()
        picks = {}
        for name, picker in pickers.items():
            text_name = self.TEXTS[name]
            if text_name not in self.data:
                picks[name] = picker.resolve(value=str(filters.get(name, "")), text=None)
            elif text_name in self.errors:
                picks[name] = Pick(text=str(self.data[text_name]))
            else:
                picks[name] = picker.resolve(value=str(filters.get(name, "")), text=self.cleaned_data[text_name])
        return picks


OUTCOME_CHOICES = [
    ("held", _("The visit was held")),
    ("no_show", _("The visit did not take place (no-show)")),
    ("cancelled_late", _("The visit was cancelled at the last minute")),
]


class OutcomeForm(forms.Form):
    """What happened at a visit or a meeting that is over."""

    outcome = forms.ChoiceField(
        label=_("What happened?"),
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happened.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("For example why it did not take place. Everyone on the visit can read it."),
    )
