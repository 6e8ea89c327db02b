# gunicorn reads this file when started from the project folder (or with -c gunicorn.conf.py).
# Mask the secret in calendar-feed and set-password addresses in gunicorn's access and error logs
# (dialog_portal/log_filters.py); everything else is gunicorn's default or given on the command line.
logger_class = "dialog_portal.log_filters.GunicornLogger"
