"""The GET filter bars (finder, workplace list, a positive list) are one hand-written template, not crispy's several
templates per field and Django's per-option widget templates (issue 19); they keep the labels, ids, choices, what
was typed and the errors."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _templates(response) -> list[str]:
    return [t.name for t in response.templates]


@pytest.mark.parametrize(
    "url",
    [
        lambda cast: reverse("meetings:visit-finder"),
        lambda cast: reverse("meetings:workplace-list"),
        lambda cast: reverse("codex:policy-list-detail", args=[cast.committee.slug]),
    ],
)
def test_a_filter_bar_renders_without_widget_or_crispy_templates(client_for, cast, url):
    url = url(cast)
    response = client_for(cast.administrator).get(url, {"q": "sol"})
    names = _templates(response)
    assert response.status_code == 200, url
    assert names.count("includes/_filter_fields.html") == 1
    assert not [name for name in names if name.startswith(("bootstrap5/", "django/forms/"))], names
    page = response.content.decode()
    assert '<label for="id_q" class="form-label">' in page
    assert 'name="q" value="sol"' in page


def test_the_finder_keeps_the_chosen_filters_and_shows_errors(client_for, cast):
    response = client_for(cast.administrator).get(
        reverse("meetings:visit-finder"),
        {"committee": cast.committee.slug, "free_from": "2026-13-01", "not_visited": "on", "sort": "name"},
    )
    page = response.content.decode()
    assert f'<option value="{cast.committee.slug}" selected>' in page
    assert '<option value="name" selected>' in page
    assert 'id="id_not_visited" checked' in page
    assert 'aria-describedby="id_free_from_error"' in page
    assert 'id="id_free_from_error"' in page and "Indtast en gyldig dato." in page
