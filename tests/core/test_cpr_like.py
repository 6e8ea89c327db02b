"""``cpr_like``: what looks like a Danish CPR number (a real day and month, then four digits) is caught; ordinary
numbers in a story or a question are not."""

import pytest

from core.validators import cpr_like


@pytest.mark.parametrize("text", ["010203-1234", "cpr 0102031234", "Født 311299 1234.", "x 241190–4321 y"])
def test_a_cpr_like_number_is_caught(text):
    assert cpr_like(text)


@pytest.mark.parametrize(
    "text",
    ["", "Vi har 25 børn og 12 voksne.", "Tlf. 12 34 56 78", "Sag 28.00.00-A00-1-26", "991399-1234", "12345678901"],
)
def test_ordinary_numbers_are_not(text):
    assert not cpr_like(text)
