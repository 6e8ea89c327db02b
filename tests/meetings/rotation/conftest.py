import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Explanations are asserted in their English source form, whatever LANGUAGE_CODE says."""
    with translation.override("en"):
        yield
