"""gunicorn.conf.py: what a web worker does once it has loaded the portal."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def test_a_worker_sets_the_loaded_portal_aside_from_the_garbage_collector():
    conf = runpy.run_path(str(CONF))
    assert conf["logger_class"] == "dialog_portal.log_filters.GunicornLogger"
    before = gc.get_freeze_count()
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > max(before, 10_000)  # Django and the portal's modules, not a handful
        assert gc.isenabled()  # collections go on, for what requests make
    finally:
        gc.unfreeze()
