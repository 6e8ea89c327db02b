"""The secretariat sees agreements in the admin; frozen records are read-only there."""

import pytest
from django.urls import reverse

from agreements.models import Status

from .conftest import make_agreement

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_shows_agreements_and_their_frozen_records(client_for, cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    client = client_for(cast.administrator)
    for name in ("agreement", "sharedgoal", "agreementversion", "agreementsignature", "agreementevent", "comment"):
        assert client.get(reverse(f"admin:agreements_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk])).status_code == 200
    version = agreement.versions.get()
    response = client.get(reverse("admin:agreements_agreementversion_change", args=[version.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.get(reverse("admin:agreements_agreement_add")).status_code == 403
