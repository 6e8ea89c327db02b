import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meetings.models import Story

# Markup is refused rather than shown as text or stripped silently: the author sees what was wrong.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def _no_markup(value: str) -> None:
    if value and _MARKUP.search(value):
        raise ValidationError(_("Write the text without HTML tags (the characters < and > around a word)."))


class StoryForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of story is it?"), choices=Story.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=120, validators=[_no_markup])
    text = forms.CharField(
        label=_("The story"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[_no_markup],
        help_text=_("A few lines about what happened. No names of citizens and no personal data."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP. We make it smaller and remove its hidden data (such as where it was taken)."),
    )
    photo_alt = forms.CharField(
        label=_("Describe the photo"),
        max_length=250,
        required=False,
        validators=[_no_markup],
        help_text=_("A short text for those who cannot see the photo."),
    )
    photo_consent = forms.BooleanField(
        label=_("The people in the photo agreed to it being shown in the portal"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("photo"):
            if not (data.get("photo_alt") or "").strip():
                self.add_error("photo_alt", _("Describe the photo in a few words for those who cannot see it."))
            if not data.get("photo_consent"):
                self.add_error(
                    "photo_consent",
                    _("Tick that the people in the photo agreed to it being shown, or leave the photo out."),
                )
        return data


class StoryHideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the story hidden?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author sees this."),
    )


class StoryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All stories")), *Story.Kind.choices], required=False)
    workplace = forms.TypedChoiceField(label=_("Workplace"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, workplaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].choices = [("", _("All workplaces")), *[(w.pk, w.name) for w in workplaces]]
