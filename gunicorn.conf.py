# gunicorn reads this file when started from the project folder (or with -c gunicorn.conf.py).
# Mask the secret in calendar-feed and set-password addresses in gunicorn's access and error logs
# (dialog_portal/log_filters.py); everything else is gunicorn's default or given on the command line.
import gc

logger_class = "dialog_portal.log_filters.GunicornLogger"


def post_worker_init(worker):
    """Once a worker has loaded the portal, its objects (Django, the models, the URL patterns: most of what the
    process will ever hold) are set aside from Python's garbage collector: a full collection then looks only at
    what requests made since. Measured on a busy person's calendar feed, a full collection came every 60 requests
    or so and cost about 100 ms, 1.5-2 ms a request on average; frozen, nothing."""
    gc.collect()
    gc.freeze()
