"""Cached reads of agreements go out of date when an agreement changes (issue 19)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.versioned_cache import version_bump

from .models import AGREEMENTS_VERSION_KEY, Agreement


@receiver(post_save, sender=Agreement)
@receiver(post_delete, sender=Agreement)
def agreements_changed(sender, **kwargs):
    """The committee overview's cached counts are out of date (bulk writes bump through ``AgreementQuerySet``)."""
    version_bump(AGREEMENTS_VERSION_KEY)
