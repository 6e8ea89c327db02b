import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CodexVersion, SignerRole


class SignForm(forms.Form):
    """A signature: a tick that the text was read, and the person's full name typed. The codex uses it as it is;
    an agreement's signature (``agreements.forms.SignForm``) adds its side and says what was read."""

    has_read = forms.BooleanField(
        label=_("I have read the codex of trust and will work by it"),
        error_messages={"required": _("Please confirm that you have read the codex.")},
    )
    typed_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("Type your full name as your signature."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Type your full name to sign.")},
    )


class PublishForm(forms.Form):
    change_kind = forms.ChoiceField(
        label=_("Kind of change"), choices=CodexVersion.ChangeKind.choices, widget=forms.RadioSelect
    )
    published_on = forms.DateField(
        label=_("Publication date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The version comes into force on this date."),
    )

    def __init__(self, *args, first: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if first:
            # The first version is always a material change: everyone signs it.
            self.fields["change_kind"].initial = CodexVersion.ChangeKind.MATERIAL
            self.fields["change_kind"].required = False
            self.fields["change_kind"].widget = forms.HiddenInput()

    def clean_published_on(self):
        day = self.cleaned_data["published_on"]
        if day < timezone.localdate() - dt.timedelta(days=366):
            raise forms.ValidationError(_("Choose a date within the last year or later."))
        return day


class VersionAdminForm(forms.ModelForm):
    roles_to_sign = forms.MultipleChoiceField(
        label=_("Roles that must sign"),
        choices=SignerRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CodexVersion
        fields = ["title", "introduction", "roles_to_sign"]


class RegisterFilterForm(forms.Form):
    """The register's list: who has signed or who is still to sign, by group and name."""

    STATUS_CHOICES = [("signed", _("Signed")), ("missing", _("Still to sign"))]

    vis = forms.ChoiceField(label=_("Show"), choices=STATUS_CHOICES, required=False)
    gruppe = forms.ChoiceField(label=_("Group"), choices=[("", _("All groups")), *SignerRole.choices], required=False)
    q = forms.CharField(label=_("Name"), max_length=100, required=False)
