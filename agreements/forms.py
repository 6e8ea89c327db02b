"""Forms for agreements. They only parse; the services decide what is allowed."""

import contextlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codex import forms as codex_forms
from core.forms import TiedErrorsMixin
from meetings.models import Committee, User, WorkplaceRole

from .models import Agreement, AgreementSignature, Comment, FollowUp, Goal, SharedGoal, calendar_year

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _rows(n):
    return forms.Textarea(attrs={"rows": n})


# The years an agreement can be started for (the start form and its look-up of the agreement to copy).
MIN_YEAR, MAX_YEAR = 2000, 2100


class AgreementStartForm(forms.Form):
    """Start an agreement: the committee, the year, and whether to carry over an earlier agreement. The view
    proposes the first free year and names the agreement that would be copied (``previous``); a year that
    already has an agreement is refused, and so is copying when the year chosen would copy another agreement
    than the page named (``shown_previous``, the id the page showed)."""

    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none(), empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    start_from = forms.ChoiceField(label=_("Start"), widget=forms.RadioSelect)

    def __init__(self, *args, workplace, previous=None, taken_years=(), shown_previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.workplace = workplace
        self.previous = previous
        self.taken_years = set(taken_years)
        self.shown_previous = shown_previous
        self.fields["committee"].queryset = self.committees(workplace)
        self.fields["year"].initial = self.initial.get("year") or timezone.localdate().year
        empty = ("empty", _("From an empty template"))
        if previous is not None:
            carry = (
                "previous",
                _("From the agreement for %(period)s: goals carried over, their results as new baselines")
                % {"period": previous.period_label},
            )
            self.fields["start_from"].choices = [carry, empty]
            self.fields["start_from"].initial = "previous"
        elif shown_previous:
            # The page offered an agreement to copy, but the year now chosen has none: clean() says so.
            self.fields["start_from"].choices = [("previous", _("From an earlier agreement")), empty]
        else:
            self.fields["start_from"].choices = [empty]
            self.fields["start_from"].initial = "empty"

    @staticmethod
    def committees(workplace):
        return workplace.committees.filter(is_active=True).order_by("name")

    @classmethod
    def chosen(cls, data, workplace) -> tuple:
        """The committee and year a submitted form asks for, before validation (either may be None); so the
        view can look up the agreement to copy for exactly that committee and year."""
        committees = cls.committees(workplace)
        committee = None
        with contextlib.suppress(TypeError, ValueError):
            committee = committees.filter(pk=int(data.get("committee", ""))).first()
        try:
            year = int(data.get("year", ""))
        except (TypeError, ValueError):
            year = None
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            year = None  # the field refuses it; nothing to look up for a year no agreement can have
        return committee, year

    def clean(self):
        data = super().clean()
        committee, year = data.get("committee"), data.get("year")
        if committee is not None and year is not None and year in self.taken_years:
            free = first_free_year(self.taken_years, after=year)
            self.add_error(
                "year",
                _(
                    "%(workplace)s already has an agreement with %(committee)s for %(year)s. "
                    "Choose another year, for example %(free)s."
                )
                % {"workplace": self.workplace.name, "committee": committee.name, "year": year, "free": free},
            )
        shown = self.shown_previous or None
        actual = str(self.previous.pk) if self.previous is not None else None
        if data.get("start_from") == "previous" and shown != actual:
            # The page named another agreement than the year and committee chosen would copy: say so, copy nothing.
            self.add_error(
                "start_from",
                _(
                    "For %(year)s the draft would start from the agreement for %(period)s. "
                    "Check the choice, and start again."
                )
                % {"year": year, "period": self.previous.period_label}
                if self.previous is not None
                else _("There is no earlier agreement to start from for that year. Choose the empty template."),
            )
        return data

    def period(self):
        return calendar_year(self.cleaned_data["year"])


def first_free_year(taken_years, *, after: int) -> int:
    """The first year from ``after`` on without an agreement."""
    year = after
    while year in taken_years:
        year += 1
    return year


class _PeriodCheck:
    """Forms with ``period_start`` and ``period_end``: the period ends after it starts."""

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data


class AgreementForm(_PeriodCheck, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["core_task", "support", "follow_up_plan", "period_start", "period_end", "midterm_on", "final_on"]
        widgets = {
            "core_task": _rows(6),
            "support": _rows(4),
            "follow_up_plan": _rows(3),
            "period_start": DATE,
            "period_end": DATE,
            "midterm_on": DATE,
            "final_on": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.amends_id:
            for name in ("period_start", "period_end"):
                self.fields[name].disabled = True
        self.fields["period_start"].required = True
        self.fields["period_end"].required = True


class GoalForm(forms.ModelForm):
    shared_goal = forms.ModelChoiceField(
        label=_("Adopt a shared goal"),
        queryset=SharedGoal.objects.none(),
        required=False,
        empty_label=_("No – this is the workplace's own goal"),
        help_text=_("An adopted goal shows the shared text; add your local target and what you will do."),
    )

    class Meta:
        model = Goal
        fields = ["title", "baseline", "aim", "indicator", "actions", "evaluation", "target", "milestones"]
        widgets = {
            "baseline": _rows(3),
            "aim": _rows(3),
            "indicator": _rows(3),
            "actions": _rows(4),
            "evaluation": _rows(3),
            "milestones": _rows(3),
        }
        help_texts = {
            "baseline": _("Where are we now? What do we know?"),
            "aim": _("What do we want to achieve for citizens?"),
            "evaluation": _("When and how do we look at whether it works?"),
        }

    field_order = ["shared_goal", "title", "baseline", "aim", "indicator", "actions", "evaluation", "target"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_goal"].queryset = SharedGoal.objects.available_for(agreement).select_related("committee")
        self.fields["shared_goal"].label_from_instance = lambda g: f"{g.title} ({g.scope_label})"
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the shared goal's title.")
        if self.instance.pk and self.instance.shared_goal_id:
            self.fields["shared_goal"].initial = self.instance.shared_goal_id

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("shared_goal"):
            self.add_error("title", _("Give the goal a title."))
        return data


class ConsultationForm(forms.Form):
    consultees = forms.ModelMultipleChoiceField(
        label=_("Other employees who may comment"),
        help_text=_("The trio can always comment. Tick the employees who may also read the draft and comment."),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        employees = (
            WorkplaceRole.objects.current()
            .filter(workplace=agreement.workplace, role=WorkplaceRole.Role.EMPLOYEE)
            .values("user_id")
        )
        people = list(User.objects.filter(pk__in=employees, is_active=True).order_by("full_name", "email"))
        if not people:
            # No one to pick: a named group with no boxes in it would only confuse (and read as an empty label).
            del self.fields["consultees"]
            return
        self.fields["consultees"].queryset = User.objects.filter(pk__in=[p.pk for p in people]).order_by(
            "full_name", "email"
        )
        self.fields["consultees"].label_from_instance = lambda person: person.full_name or person.email
        self.fields["consultees"].initial = people


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=_rows(4), max_length=4000)

    def __init__(self, *args, required: bool = True, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required
        if label:
            self.fields["note"].label = label
        self.fields["note"].help_text = help_text


class ActForCommitteeForm(NoteForm):
    """Approve or close for the committee; the vice-chair records why the chair is absent."""

    chair_absence = forms.CharField(label=_("Why the chair is absent"), max_length=300, required=False)

    def __init__(self, *args, vice_chair: bool, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        if vice_chair:
            self.fields["chair_absence"].required = True
            self.fields["chair_absence"].help_text = _(
                "You act for the committee as vice-chair only when the chair is absent. This is recorded."
            )
        else:
            del self.fields["chair_absence"]


class SignForm(codex_forms.SignForm):
    """The codex's signature (the tick and the typed name) with the side signed for."""

    field_order = ["side", "has_read", "typed_name", "chair_absence"]

    side = forms.ChoiceField(label=_("I sign"), choices=AgreementSignature.Side.choices, widget=forms.RadioSelect)
    has_read = forms.BooleanField(
        label=_("I have read the agreement and agree to it"),
        error_messages={"required": _("Please confirm that you have read the agreement.")},
    )
    chair_absence = forms.CharField(label=_("Why the chair is absent"), max_length=300, required=False)

    def __init__(self, *args, sides: list[str], vice_chair: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = [c for c in AgreementSignature.Side.choices if c[0] in sides]
        if len(sides) == 1:
            self.fields["side"].initial = sides[0]
            self.fields["side"].widget = forms.HiddenInput()
        if not vice_chair:
            del self.fields["chair_absence"]
        else:
            self.fields["chair_absence"].help_text = _(
                "As vice-chair you sign for the committee only when the chair is absent. This is recorded."
            )

    def clean(self):
        data = super().clean()
        if "chair_absence" in self.fields and data.get("side") == "committee" and not data.get("chair_absence"):
            self.add_error("chair_absence", _("Say why the chair is absent."))
        return data


class CommentForm(forms.Form):
    target = forms.ChoiceField(label=_("About"), required=False)
    body = forms.CharField(label=_("Your comment"), widget=_rows(3), max_length=4000)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("The whole agreement"))]
        choices += [(f"section:{value}", label) for value, label in Comment.Section.choices]
        choices += [(f"goal:{goal.pk}", _("Goal: %(title)s") % {"title": goal.title}) for goal in goals]
        self.fields["target"].choices = choices
        self._goals = {str(goal.pk): goal for goal in goals}

    def target_parts(self) -> tuple[str, Goal | None]:
        target = self.cleaned_data.get("target") or ""
        kind, _sep, value = target.partition(":")
        if kind == "section":
            return value, None
        if kind == "goal":
            return "", self._goals.get(value)
        return "", None


class FollowUpForm(TiedErrorsMixin, forms.Form):
    """One row per goal: a status (or none) and a note. The kind applies to all rows."""

    kind = forms.ChoiceField(label=_("Follow-up"), choices=FollowUp.Kind.choices, widget=forms.RadioSelect)

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        statuses = [("", _("No status this time")), *FollowUp.Status.choices]
        for goal in self.goals:
            self.fields[f"status_{goal.pk}"] = forms.ChoiceField(label=_("Status"), choices=statuses, required=False)
            self.fields[f"note_{goal.pk}"] = forms.CharField(label=_("Note"), widget=_rows(2), required=False)

    def fields_concerned(self) -> list[str]:
        return [f"status_{goal.pk}" for goal in self.goals]

    def rows(self):
        return [(goal, self[f"status_{goal.pk}"], self[f"note_{goal.pk}"]) for goal in self.goals]

    def clean(self):
        data = super().clean()
        if not any(data.get(f"status_{goal.pk}") for goal in self.goals):
            raise forms.ValidationError(_("Choose a status for at least one goal."))
        return data

    def entries(self):
        kind = self.cleaned_data["kind"]
        return [
            (goal, kind, self.cleaned_data[f"status_{goal.pk}"], self.cleaned_data[f"note_{goal.pk}"])
            for goal in self.goals
            if self.cleaned_data.get(f"status_{goal.pk}")
        ]


class SharedGoalForm(_PeriodCheck, forms.ModelForm):
    class Meta:
        model = SharedGoal
        fields = ["title", "text", "committee", "period_start", "period_end", "is_active"]
        widgets = {"text": _rows(4), "period_start": DATE, "period_end": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        committees = Committee.objects.active()
        if not user.roles.is_administrator:
            committees = committees.filter(pk__in=user.roles.committee_ids)
            self.fields["committee"].required = True
            self.fields["committee"].empty_label = None
        else:
            self.fields["committee"].empty_label = _("The whole municipality")
        self.fields["committee"].queryset = committees
        if not self.instance.pk:
            start, end = calendar_year(timezone.localdate().year)
            self.fields["period_start"].initial = start
            self.fields["period_end"].initial = end


class OverviewForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
