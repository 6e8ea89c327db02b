"""Rows that are history: written once, never changed or deleted in bulk, by any path (a page, the admin, a task,
the shell). Each app raises its own domain error with its own words."""

from django.db import models

from .versioned_cache import VersionBumpingQuerySet


def history_queryset(error: type[Exception], message) -> type[models.QuerySet]:
    """A QuerySet whose bulk ``update`` and ``delete`` refuse with ``error(message)``."""

    class HistoryQuerySet(VersionBumpingQuerySet):
        def update(self, **kwargs):
            raise error(message)

        update.alters_data = True

        def delete(self):
            raise error(message)

        delete.alters_data = True
        delete.queryset_only = True

    return HistoryQuerySet
