import pytest
from django.utils import translation

from meetings.rotation import notifications


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """Explanations and the notices' lines are asserted in their English source form, whatever LANGUAGE_CODE says
    and whatever language the recipient reads (tests/dialog_portal/test_language.py covers that)."""
    monkeypatch.setattr(notifications, "recipient_language", lambda to, context: "en")
    with translation.override("en"):
        yield
