"""Questions from the cast's committee: the member asks the cast's workplace (and a second workplace under the
committee, with its own leader)."""

from dataclasses import dataclass

import pytest

from meetings.questions import services
from tests import factories


@dataclass
class Asked:
    second_workplace: object
    second_leader: object
    head: object  # a head of centre with an account (no role in the organisation)


@pytest.fixture
def asked(cast) -> Asked:
    second = factories.WorkplaceFactory(slug="skovbrynet", name="Skovbrynets Skole", committees=[cast.committee])
    second_leader = factories.UserFactory(email="leder2@dalby.example", full_name="Test leder to")
    factories.WorkplaceRoleFactory(user=second_leader, workplace=second)
    head = factories.UserFactory(email="centerchef@dalby.example", full_name="Test centerchef")
    return Asked(second_workplace=second, second_leader=second_leader, head=head)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """``with sent(): …``: the outbox's notices are delivered when the block ends, as after a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def ask(cast, asked, sent):
    """The member asks (or ``actor``); the cast's workplace unless told otherwise."""

    def make(**overrides):
        values = {
            "actor": cast.member,
            "committee": cast.committee,
            "workplaces": [cast.workplace],
            "text": "Hvordan går det med at skaffe uddannede pædagoger?",
            "no_individual_case": True,
        }
        values.update(overrides)
        with sent():
            return services.question_ask(**values)

    return make


@pytest.fixture
def question(ask):
    return ask()[0]
