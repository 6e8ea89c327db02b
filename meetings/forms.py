import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import Committee, District, WorkplaceKind

# The browser's own date and time pickers, in the formats they send back (every app's forms use these).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WorkplaceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.active(),
        required=False,
        to_field_name="slug",
        empty_label=_("All committees"),
    )
    kind = forms.ModelChoiceField(
        label=_("Kind"),
        queryset=WorkplaceKind.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All kinds"),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("All districts"),
    )

    def __init__(self, *args, committees=None, all_committees_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if committees is not None:  # a narrower choice, e.g. a politician's own committees
            self.fields["committee"].queryset = committees
            self.fields["committee"].empty_label = all_committees_label
        freeze_choices(self)


def freeze_choices(form: forms.Form, *names: str) -> None:
    """Load the model choice lists (all, or those named) now, so no query runs while the template renders the
    form. Validation still checks the submitted value against the field's queryset."""
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField) and (not names or name in names):
            field.widget.choices = list(iter(field.choices))  # iter(): no COUNT query for a length hint


# The largest id a row can have (a 64-bit integer column). A bigger number in an address or a filter finds nothing
# rather than overflowing the database driver.
MAX_ID = 2**63 - 1


# The years the portal plans in (the rotation's pages cover the same). Outside them the calendar arithmetic
# runs off the ends of Python's dates (year 1, year 9999) and a typed "0001-01-01" would crash the page.
EARLIEST_DAY, LATEST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def plausible_day(value) -> None:
    """A validator for date and date-time fields: the day lies in the years the portal plans in."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < EARLIEST_DAY:
        raise ValidationError(MinValueValidator.message, code="min_value", params={"limit_value": EARLIEST_DAY})
    if day > LATEST_DAY:
        raise ValidationError(MaxValueValidator.message, code="max_value", params={"limit_value": LATEST_DAY})


class NoticePreferencesForm(forms.Form):
    """One choice per notice channel the person hears from (``meetings/notices.py``)."""

    def __init__(self, *args, channels: dict, current: dict[str, str], **kwargs):
        from .models import NoticeChoice

        super().__init__(*args, **kwargs)
        for key, channel in channels.items():
            self.fields[key] = forms.ChoiceField(
                label=channel.label,
                help_text=channel.help_text,
                choices=NoticeChoice.choices,
                initial=current[key],
                widget=forms.RadioSelect,
            )
