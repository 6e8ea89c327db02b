"""Settings for the servers the benchmark starts: the portal's own, plus the benchmark's floor views.

``DJANGO_SETTINGS_MODULE=dialog_portal.bench.settings`` is set only in the benchmark's subprocesses; the portal
itself never routes to ``dialog_portal.bench.urls``.
"""

from dialog_portal.settings import *  # noqa: F403

ROOT_URLCONF = "dialog_portal.bench.urls"
