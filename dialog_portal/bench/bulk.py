"""What every step of ``seed_scale`` shares: the run's context, batched bulk inserts and local times."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

BATCH = 2000


@dataclass
class ScaleContext:
    workplaces: int
    committees: int
    years: int
    today: dt.date
    rng: random.Random
    password_hash: str
    ids: dict[str, list[int]] = field(default_factory=dict)  # filled by the steps for those after them
    maps: dict[str, dict] = field(default_factory=dict)

    @property
    def factor(self) -> float:
        """Share of the full-size municipality (2,000 workplaces)."""
        return self.workplaces / 2000

    def scaled(self, full: int, at_least: int = 1) -> int:
        return max(at_least, round(full * self.factor))

    @property
    def first_year(self) -> int:
        return self.today.year - self.years + 1


def bulk(model, rows: Iterable, batch: int = BATCH) -> list:
    """Insert in batches; returns the created objects (with primary keys on PostgreSQL and SQLite)."""
    created = []
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            created += model.objects.bulk_create(chunk, batch_size=batch)
            chunk = []
    if chunk:
        created += model.objects.bulk_create(chunk, batch_size=batch)
    return created


def aware(day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=ZoneInfo(settings.TIME_ZONE))
