import datetime as dt
import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.versioned_cache import model_version_keys, versioned_get_or_set

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

    def __init__(self, *args, committees=None, committee_ids=None, all_committees_label=None, **kwargs):
        """``committees``: a narrower choice (a politician's own), whose ids are ``committee_ids``."""
        super().__init__(*args, **kwargs)
        which = "active"
        if committees is not None:  # a narrower choice, e.g. a politician's own committees
            self.fields["committee"].queryset = committees
            self.fields["committee"].empty_label = all_committees_label
            which = ",".join(str(pk) for pk in sorted(committee_ids))
        self.committee_choice = which  # names the committee choice, for the kept filter bar
        # The same lists for everyone on every request: kept (no query) until a committee, kind or district changes.
        keep_choices(self.fields["committee"], f"committees:{which}")
        keep_choices(self.fields["kind"], "kinds")
        keep_choices(self.fields["district"], "districts")
        freeze_choices(self)


def keep_choices(field: forms.ModelChoiceField, name: str) -> None:
    """Load a model choice list from the cache, kept as plain values and labels under its model's version
    (``core.versioned_cache.model_version_keys``), so neither a query nor a template needs the rows; ``name`` tells
    the field's queryset apart from others of its model. Validation still checks a submitted value against the
    queryset."""

    def compute() -> list[tuple]:
        return [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in field.queryset]

    kept = versioned_get_or_set(f"choices1:{name}", model_version_keys(field.queryset.model), compute)
    field.widget.choices = ([("", field.empty_label)] if field.empty_label is not None else []) + kept
    field.choices_kept = True


def kept_filter_bar(form: WorkplaceFilterForm, *, name: str) -> str:
    """The workplace filter bar's fields as ``includes/_filter_fields.html`` writes them, kept per ``name`` (the page
    and the narrower committee choice, if any), the query string and the language under the versions of the
    committees, kinds and districts its choices and checks read: what it shows follows from those alone (issue 19).
    """
    data = sorted((key, tuple(values)) for key, values in form.data.lists()) if form.is_bound else None
    digest = hashlib.sha256(repr(data).encode()).hexdigest()[:32]
    return versioned_get_or_set(
        f"filter-bar1:{name}:{get_language()}:{digest}",
        model_version_keys(Committee, WorkplaceKind, District),
        lambda: render_to_string("includes/_filter_fields.html", {"form": form}),
    )


def freeze_choices(form: forms.Form, *names: str) -> None:
    """Load the model choice lists (all, or those named) now, so no query runs while the template renders the
    form. Validation still checks the submitted value against the field's queryset."""
    for name, field in form.fields.items():
        if getattr(field, "choices_kept", False):
            continue
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
