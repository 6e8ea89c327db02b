"""Signing an agreement is behind the codex gate, with the same grace period after a material change."""

import pytest
from django.utils import translation

from agreements.errors import AgreementError
from agreements.models import Status
from tests.codex.conftest import GATE_STATES, gate_open, gate_state

from .conftest import make_agreement, sign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", GATE_STATES)
def test_signing_an_agreement_is_behind_the_gate_with_its_grace_period(cast, state):
    agreement = make_agreement(cast, Status.APPROVED)
    gate_state(cast.administrator, [cast.leader], state)
    with translation.override("en"):
        try:
            sign(agreement, cast.leader, "workplace")
        except AgreementError as error:
            assert not gate_open(state) and "codex of trust" in str(error)
        else:
            assert gate_open(state)
    assert agreement.signatures.count() == (1 if gate_open(state) else 0)
