"""Settings for the servers the benchmark starts: the portal's own, plus the benchmark's floor views.

``DJANGO_SETTINGS_MODULE=dialog_portal.bench.settings`` is set only in the benchmark's subprocesses; the portal
itself never routes to ``dialog_portal.bench.urls``.
"""

import os

from dialog_portal.settings import *  # noqa: F403

ROOT_URLCONF = "dialog_portal.bench.urls"

# The benchmark measures its scales side by side, each on a server of its own that shares the benchmark's Redis
# database with the others: each scale's cache keys begin with its own prefix (its rows have the same ids), which
# names the run too (two runs at once never read each other's kept pages).
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "")  # noqa: F405
# The run's Celery tasks go to a queue named by the run (its worker reads the same setting): two benchmark runs at once
# on one Redis database never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BENCH_CELERY_QUEUE", "celery")
