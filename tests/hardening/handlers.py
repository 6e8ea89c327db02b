"""Outbox handlers used only by the fault drills (they run inside a real worker process)."""

import os
import time
from pathlib import Path

from django.core.mail import send_mail


def slow_mail(*, to: str) -> None:
    """Say that the work has started, take a while (long enough to be killed in), then send one e-mail."""
    started = os.environ.get("DIALOG_TEST_STARTED_FILE")
    if started:
        Path(started).touch()
    time.sleep(float(os.environ.get("DIALOG_TEST_SLOW_HANDLER_SECONDS", "0")))
    send_mail("Øvelse", "Én besked, uanset hvor mange gange opgaven leveres.", None, [to])
