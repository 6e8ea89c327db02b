"""The administration speaks Danish: no app, model or column header is left in English (docs/danish.md).

A text that reads the same in Danish and in English is English that was never translated, unless it is one of the
few words both languages share."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tests import factories

SAME_IN_BOTH = {"id", "status", "uid", "interval", "intervaller", "type", "person", "version", "login"}

_INDEX = re.compile(r'<caption>\s*<a [^>]*>(.*?)</a>|<th scope="row" id="[^"]*">\s*<a [^>]*>(.*?)</a>', re.S)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(email="superbruger@dalby.example", is_staff=True, is_superuser=True)


def _index_names(client, language: str) -> list[str]:
    client.cookies["dialog_language"] = language
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return [next(g for g in m.groups() if g is not None).strip() for m in _INDEX.finditer(response.content.decode())]


def _untranslated(pairs) -> list[str]:
    return [da for da, en in pairs if da.casefold() == en.casefold() and da.casefold() not in SAME_IN_BOTH]


def test_the_admin_index_names_every_app_and_model_in_danish(client, superuser):
    client.force_login(superuser)
    danish, english = _index_names(client, "da"), _index_names(client, "en")
    assert len(danish) == len(english) > 20
    assert "Planlagte job" in danish and "Godkendelsesmetoder" in danish
    assert _untranslated(zip(danish, english, strict=True)) == []


def _headers(model_admin, request, language: str) -> list[str]:
    with translation.override(language):
        return [
            str(label_for_field(name, model_admin.model, model_admin))
            for name in model_admin.get_list_display(request)
            if name != "action_checkbox"
        ]


def test_every_changelist_has_danish_column_headers(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    left = {}
    for model, model_admin in admin.site._registry.items():
        danish, english = _headers(model_admin, request, "da"), _headers(model_admin, request, "en")
        untranslated = _untranslated(zip(danish, english, strict=True))
        if untranslated:
            left[model._meta.label] = untranslated
    assert left == {}


def test_every_changelist_opens_in_danish(client, superuser):
    client.force_login(superuser)
    client.cookies["dialog_language"] = "da"
    for model in admin.site._registry:
        response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        assert response.status_code in {200, 302}, model._meta.label
        assert response.headers["Content-Language"] == "da"
