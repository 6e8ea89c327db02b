"""Values cached under version keys: a change replaces a version, and every entry stored under the old one is a
miss from then on (issue 19). Tests prove each change shows at once.

A version is a random token, never a counter, so a version key the cache dropped can never come back with an old
value. It is read before the value is computed and stored with it: a change committed meanwhile replaces it, and
the entry is born stale instead of hiding the change. ``version_bump`` replaces it now and again when the open
transaction commits (a request reading in between cannot keep what is about to change).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


def version_bump(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


class VersionBumpingQuerySet(models.QuerySet):
    """A QuerySet whose bulk writes (``update``, ``delete``, ``bulk_create``, ``bulk_update``), which send no
    signals, replace the versions named in ``bumps_versions``: a cache built on these rows cannot miss them."""

    bumps_versions: tuple[str, ...] = ()

    def _bump(self) -> None:
        for key in self.bumps_versions:
            version_bump(key)
        if self.model._meta.concrete_model in _TRACKED:
            version_bump(model_version_key(self.model))

    def update(self, **kwargs):
        self._bump()
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        self._bump()
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, *args, **kwargs):
        self._bump()
        return super().bulk_create(*args, **kwargs)

    def bulk_update(self, *args, **kwargs):
        self._bump()
        return super().bulk_update(*args, **kwargs)

    bulk_update.alters_data = True


def versions_read(version_keys: list[str], found: dict | None = None) -> list[str]:
    """The current versions under ``version_keys`` (one round trip to the cache), each made when missing.
    ``found`` holds what a caller already read with its own ``get_many``."""
    if found is None:
        found = cache.get_many(version_keys)
    versions = []
    for version_key in version_keys:
        if found.get(version_key) is None:
            cache.add(version_key, uuid.uuid4().hex, None)  # a concurrent request's token wins
            found[version_key] = cache.get(version_key)
        versions.append(found[version_key])
    return versions


def versioned_prefetch(keys: list[str]) -> dict:
    """Several entries and their versions in one round trip, for ``versioned_get_or_set(..., read=...)`` calls later
    in the same request (the signed-in person and their roles: one round trip, not two)."""
    found = cache.get_many(keys)
    return {k: found.get(k) for k in keys}


def versioned_get_or_set(
    key: str,
    version_keys: list[str],
    compute: Callable[[], object],
    *,
    also: Hashable = None,
    timeout: int = 600,
    fresh: Callable[[object], bool] | None = None,
    read: dict | None = None,
):
    """The value cached under ``key`` if it was stored under the current versions (and ``also``, e.g. today's
    date) and ``fresh(value)`` holds (a value that goes out of date with time says until when), else
    ``compute()``, stored. One round trip to the cache on a hit, none when ``read`` (from ``versioned_prefetch``
    in this request) holds the key and its versions."""
    wanted = [*version_keys, key]
    if read is not None and all(k in read for k in wanted):
        found = {k: read[k] for k in wanted if read[k] is not None}
    else:
        found = cache.get_many(wanted)
    entry = found.get(key)
    if (
        entry is not None
        and entry[:-1] == (*(found.get(k) for k in version_keys), also)
        and (fresh is None or fresh(entry[-1]))
    ):
        return entry[-1]
    versions = versions_read(version_keys, found)
    value = compute()
    cache.set(key, (*versions, also, value), timeout)
    return value


# Per-model versions: one version for all rows of a model, replaced by every write to any of them. Coarse, and
# therefore hard to get wrong: a fragment that reads visits and meetings is keyed by both models' versions and
# cannot outlive a change to either, whichever path wrote it (issue 19).
_TRACKED: set[type[models.Model]] = set()


def model_version_key(model: type[models.Model]) -> str:
    return f"v:model:{model._meta.concrete_model._meta.label_lower}"


def model_version_keys(*models_: type[models.Model]) -> list[str]:
    """The version keys of ``models_``, each of which must be tracked (``track_model_versions``)."""
    keys = []
    for model in models_:
        if model._meta.concrete_model not in _TRACKED:
            raise ImproperlyConfigured(f"{model._meta.label} has no version: call track_model_versions() on it.")
        keys.append(model_version_key(model))
    return keys


def model_version_bump(model: type[models.Model]) -> None:
    """By hand, where no signal or QuerySet sees a write (raw SQL, a data migration)."""
    version_bump(model_version_key(model))


def _bump_sender(sender, **kwargs) -> None:
    version_bump(model_version_key(sender))


def track_model_versions(*models_: type[models.Model]) -> None:
    """Give each model a version (``model_version_key``) that every write path replaces: saves and deletes by
    signals, bulk writes by its QuerySet (which must be a ``VersionBumpingQuerySet``), many-to-many changes by
    ``m2m_changed``, and ``SET_NULL``/``SET_DEFAULT``/``SET()`` updates when a row it points to is deleted (Django
    writes those without a signal). Call it from an app's ``ready()``."""
    for model in models_:
        model = model._meta.concrete_model
        if model in _TRACKED:
            continue
        for manager in model._meta.managers:
            if not issubclass(getattr(manager, "_queryset_class", models.QuerySet), VersionBumpingQuerySet):
                raise ImproperlyConfigured(
                    f"{model._meta.label}.{manager.name}: a model with a version needs a VersionBumpingQuerySet, "
                    "or its bulk writes would not replace the version."
                )
        _TRACKED.add(model)
        uid = f"model-version:{model._meta.label_lower}"
        post_save.connect(_bump_sender, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_bump_sender, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through

            def bump_m2m(sender, action, tracked=model, **kwargs):  # the signal's own ``model`` is the other side
                if action.startswith("post_"):
                    version_bump(model_version_key(tracked))

            m2m_changed.connect(bump_m2m, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}")
        for field in model._meta.concrete_fields:
            on_delete = getattr(field.remote_field, "on_delete", None) if field.is_relation else None
            if on_delete in (models.SET_NULL, models.SET_DEFAULT) or getattr(on_delete, "deconstruct", None):

                def bump_on_target_delete(sender, tracked=model, **kwargs):
                    version_bump(model_version_key(tracked))

                post_delete.connect(
                    bump_on_target_delete,
                    sender=field.remote_field.model,
                    weak=False,
                    dispatch_uid=f"{uid}:set:{field.name}",
                )
