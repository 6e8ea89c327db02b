"""A real Celery worker for the tests that are about Celery (Redis in CI, the filesystem broker locally)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from dialog_portal.celery import app


@pytest.fixture
def real_worker():
    """A worker thread on the project's app, delivering what the code under test queues."""
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        yield app


def wait_for(condition, seconds=30, step=0.1):
    """Poll ``condition`` until it holds or ``seconds`` pass; its last answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
