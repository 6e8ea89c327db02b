"""Shared fixtures: the fixed cast every permission test uses, and service guards for CI."""

import os
from dataclasses import dataclass

import pytest

from meetings.models import CommitteeMembership, WorkplaceRole
from tests import factories, fast_flush
from tests.workers import real_worker  # noqa: F401 - the real Celery worker, a fixture for the tests about Celery

fast_flush.install()  # PostgreSQL: transactional tests empty the tables with DELETE, not TRUNCATE (tests/fast_flush.py)

# The test OpenID Connect provider's fixtures (oidc_provider, oidc_portal) for the single sign-on tests.
pytest_plugins = ["tests.oidc_provider"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_addoption(parser):
    parser.addoption(
        "--benchmark-smoke",
        choices=("with", "without", "only"),
        default="with",
        help="with the benchmark smoke test (marker benchmark_smoke; the default), without it, or only it: "
        "scripts/test runs the suite in parallel without it, then it alone (it measures CPU and wants the machine)",
    )


def pytest_collection_modifyitems(config, items):
    choice = config.getoption("benchmark_smoke")
    if choice == "with":
        return
    kept, dropped = [], []
    for item in items:
        smoke = item.get_closest_marker("benchmark_smoke") is not None
        (kept if smoke == (choice == "only") else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@dataclass
class Cast:
    """Administrator, a committee's chair and member, a member of another committee,
    a leader and a trio member of a workplace under the committee, a leader of another
    workplace, and an outsider with no role."""

    committee: object
    other_committee: object
    workplace: object
    other_workplace: object
    administrator: object
    chair: object
    vice_chair: object
    member: object
    other_member: object
    leader: object
    trio: object
    other_leader: object
    outsider: object


CAST_PEOPLE = ("chair", "vice_chair", "member", "other_member", "leader", "trio", "other_leader", "outsider")


def _outright(factory_class):
    """``factory_class`` without its get-or-create (a SELECT and a savepoint before each INSERT)."""
    return type(
        f"{factory_class.__name__}Outright", (factory_class,), {"Meta": type("Meta", (), {"django_get_or_create": ()})}
    )


_OUTRIGHT = {
    f: _outright(f)
    for f in (
        factories.CommitteeFactory,
        factories.WorkplaceFactory,
        factories.UserFactory,
        factories.AdministratorFactory,
    )
}


def _cast_is_new() -> bool:
    """None of the cast's people, committees or workplaces exists yet: so in almost every test that asks for it."""
    from meetings.models import Committee, User, Workplace

    return not (
        User.objects.filter(email__in=[f"{n}@dalby.example" for n in (*CAST_PEOPLE, "administrator")]).exists()
        or Committee.objects.filter(slug__in=["boern-og-unge", "aeldre"]).exists()
        or Workplace.objects.filter(slug__in=["solsikken", "egebo"]).exists()
    )


@pytest.fixture
def cast(db) -> Cast:
    # The same rows either way; a cast none of whose rows exists yet is inserted outright (36 fewer queries a test).
    made = _OUTRIGHT.get if _cast_is_new() else (lambda f: f)
    committee = made(factories.CommitteeFactory)(slug="boern-og-unge", name="Børne- og Ungeudvalget")
    other_committee = made(factories.CommitteeFactory)(slug="aeldre", name="Ældreudvalget")
    workplace = made(factories.WorkplaceFactory)(slug="solsikken", name="Børnehuset Solsikken", committees=[committee])
    other_workplace = made(factories.WorkplaceFactory)(
        slug="egebo", name="Plejecenter Egebo", committees=[other_committee]
    )
    people = {
        name: made(factories.UserFactory)(email=f"{name}@dalby.example", full_name=f"Test {name.replace('_', ' ')}")
        for name in CAST_PEOPLE
    }
    administrator = made(factories.AdministratorFactory)(
        email="administrator@dalby.example", full_name="Test Sekretariat"
    )
    factories.MembershipFactory(user=people["chair"], committee=committee, role=CommitteeMembership.Role.CHAIR)
    factories.MembershipFactory(
        user=people["vice_chair"], committee=committee, role=CommitteeMembership.Role.VICE_CHAIR
    )
    factories.MembershipFactory(user=people["member"], committee=committee)
    factories.MembershipFactory(user=people["other_member"], committee=other_committee)
    factories.WorkplaceRoleFactory(user=people["leader"], workplace=workplace)
    factories.WorkplaceRoleFactory(user=people["trio"], workplace=workplace, role=WorkplaceRole.Role.TRIO)
    factories.WorkplaceRoleFactory(user=people["other_leader"], workplace=other_workplace)
    return Cast(
        committee=committee,
        other_committee=other_committee,
        workplace=workplace,
        other_workplace=other_workplace,
        administrator=administrator,
        **people,
    )


@pytest.fixture
def client_for(client):
    """Log the client in as a person: ``client_for(cast.chair)``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.DIALOG_REQUIRE_MFA = False
    # Sessions as production keeps them (Redis: core.sessions), with or without REDIS_URL, so query counts are the
    # same everywhere; one test process may keep them in its own cache.
    settings.SESSION_ENGINE = "core.sessions"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DIALOG_ANCHOR_DIR = tmp_path / "anchors"  # each test its own anchor files, never the checkout's var/
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache
    from django.utils import translation

    from dialog_portal.celery import app

    cache.clear()  # the database rolls back after each test; cached reads must not outlive it
    # A request activates its person's language on the thread (meetings/middleware.py) and leaves it there: a test
    # after one by an English-speaking person would see English. Each test starts in LANGUAGE_CODE, as a new thread.
    translation.deactivate()

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


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
