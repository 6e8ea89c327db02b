import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Explanations are asserted in their English source form, whatever LANGUAGE_CODE says."""
    with translation.override("en"):
        yield


@pytest.fixture
def rotation(cast):
    """The cast's committee with six workplaces that can host it (the cast's own among them), a year ahead."""
    import datetime as dt

    from django.utils import timezone

    from tests import factories

    year = timezone.localdate().year + 1
    extra = [
        factories.WorkplaceFactory(slug=f"sted-{n}", name=f"Sted {n}", committees=[cast.committee]) for n in range(5)
    ]
    for n, workplace in enumerate(extra):
        factories.WorkplaceRoleFactory(workplace=workplace, user=factories.UserFactory(email=f"leder{n}@dalby.example"))
    return type("Rotation", (), {"year": year, "workplaces": [cast.workplace, *extra], "dt": dt})
