"""The CPR check (``core.validators``): what looks like a CPR number is refused, other numbers are not."""

import pytest
from django.core.exceptions import ValidationError

from core.validators import CprNumberValidator, cpr_numbers


@pytest.mark.parametrize(
    "text",
    [
        "Barnet har cpr 010190-1234.",
        "0101901234",
        "Se 311299-4321 og resten",
        "290200-1234",  # 29 February: a leap day in some century
        "Nr. 170685 1234",  # a space instead of the hyphen
        "170685–1234",  # an en dash from a word processor
        "(1707851234)",
    ],
)
def test_text_with_a_cpr_number_is_found(text):
    assert cpr_numbers(text)
    with pytest.raises(ValidationError) as error:
        CprNumberValidator()(text)
    assert error.value.code == "cpr_number"


@pytest.mark.parametrize(
    "text",
    [
        "Ring 12 34 56 78",  # a phone number
        "+45 12345678",
        "4512345678",  # a phone number with its country code: day 45 is no day
        "9999999999",
        "3202901234",  # 32 February
        "310490-1234",  # 31 April
        "0113901234",  # month 13
        "Sag 28.00.00-A00-1-26",  # a case number
        "12345678901",  # eleven digits: not a CPR number in a longer number
        "Konto 010190123456",
        "Vi har 24 børn og 1.500 kr.",
        "",
    ],
)
def test_other_numbers_are_let_through(text):
    assert cpr_numbers(text) == []
    CprNumberValidator()(text)
