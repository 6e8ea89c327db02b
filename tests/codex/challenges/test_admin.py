"""The challenges in the admin: shown for lookup, changed by nobody there."""

import pytest
from django.urls import reverse

from codex.challenges.models import Status

pytestmark = pytest.mark.django_db


def test_the_secretariat_reads_a_challenge_in_the_admin_and_cannot_change_it(cast, world, make_challenge, client_for):
    challenge = make_challenge(Status.SUBMITTED)
    client = client_for(cast.administrator)
    assert challenge.rule in client.get(reverse("admin:codex_challenge_changelist")).content.decode()
    page = client.get(reverse("admin:codex_challenge_change", args=[challenge.pk])).content.decode()
    assert challenge.rule in page and 'name="_save"' not in page
    assert client.post(reverse("admin:codex_challenge_delete", args=[challenge.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:codex_challenge_add")).status_code == 403
