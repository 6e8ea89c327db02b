from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Committee, District, WorkplaceKind


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
