"""Per-model versions (core.versioned_cache): every way a row can be written replaces its model's version, so a
fragment cached under it cannot outlive the change (issue 19)."""

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from core.versioned_cache import (
    _TRACKED,
    VersionBumpingQuerySet,
    model_version_bump,
    model_version_keys,
    track_model_versions,
)
from meetings.models import Committee, RotationPlan, Workplace
from tests.factories import CommitteeFactory, UserFactory, WorkplaceFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the second bump happens when the transaction commits


def _version(model):
    (key,) = model_version_keys(model)
    return cache.get(key)


class _Changes:
    """Reads a model's version before and after a write."""

    def __init__(self, model):
        self.model = model

    def __enter__(self):
        self.before = _version(self.model)
        return self

    def __exit__(self, *exc):
        self.changed = _version(self.model) != self.before


def test_save_and_delete_replace_the_version():
    with _Changes(Committee) as created:
        committee = CommitteeFactory()
    with _Changes(Committee) as saved:
        committee.name = "Nyt navn"
        committee.save()
    with _Changes(Committee) as deleted:
        committee.delete()
    assert created.changed and saved.changed and deleted.changed


def test_bulk_writes_replace_the_version():
    committee = CommitteeFactory()
    with _Changes(Committee) as updated:
        Committee.objects.filter(pk=committee.pk).update(name="Ændret i bulk")
    with _Changes(Committee) as bulk_created:
        Committee.objects.bulk_create([Committee(name="Bulk", slug="bulk")])
    with _Changes(Committee) as bulk_updated:
        committee.name = "Igen"
        Committee.objects.bulk_update([committee], ["name"])
    with _Changes(Committee) as deleted:
        Committee.objects.filter(slug="bulk").delete()
    assert updated.changed and bulk_created.changed and bulk_updated.changed and deleted.changed


def test_a_related_manager_bulk_write_replaces_the_version():
    workplace, committee = WorkplaceFactory(), CommitteeFactory()
    workplace.committees.add(committee)
    with _Changes(Workplace) as through_related:
        committee.workplaces.update(name="Ændret gennem udvalget")
    assert through_related.changed
    assert Workplace.objects.get(pk=workplace.pk).name == "Ændret gennem udvalget"


def test_many_to_many_changes_replace_the_version_from_either_side():
    workplace, committee = WorkplaceFactory(), CommitteeFactory()
    with _Changes(Workplace) as added:
        workplace.committees.add(committee)
    with _Changes(Workplace) as removed_from_other_side:
        committee.workplaces.remove(workplace)
    with _Changes(Workplace) as cleared:
        workplace.committees.set([committee])
        workplace.committees.clear()
    assert added.changed and removed_from_other_side.changed and cleared.changed


def test_a_set_null_written_by_a_delete_replaces_the_version():
    """Django writes SET_NULL without a signal on the row it changes: the delete of the row pointed to bumps it."""
    author = UserFactory()
    RotationPlan.objects.create(committee=CommitteeFactory(), year=2031, created_by=author)
    with _Changes(RotationPlan) as nulled:
        author.delete()
    assert nulled.changed
    assert RotationPlan.objects.get(year=2031).created_by is None


def test_a_hand_bump_replaces_the_version():
    with _Changes(Committee) as bumped:
        model_version_bump(Committee)
    assert bumped.changed


def test_an_untracked_model_has_no_version_to_read():
    with pytest.raises(ImproperlyConfigured):
        model_version_keys(apps.get_model("meetings", "NoticePreference"))


def test_a_model_whose_bulk_writes_would_not_bump_cannot_be_tracked():
    with pytest.raises(ImproperlyConfigured):
        track_model_versions(apps.get_model("meetings", "NoticePreference"))


def test_every_tracked_model_bumps_on_bulk_writes_through_every_manager():
    assert len(_TRACKED) >= 20
    for model in _TRACKED:
        for manager in model._meta.managers:
            assert issubclass(manager._queryset_class, VersionBumpingQuerySet), (model, manager.name)
