"""The benchmark (issue #7): a fictional municipality at scale, and the measurements taken on it.

- ``scale``: bulk generator behind ``manage.py seed_scale`` (steps per app in ``SCALE_STEPS``)
- ``pages``: the key pages, who looks at them and how they are found in the generated data
- ``queries``: query counts per page, in process
- ``load``: gunicorn plus wrk, and the bare Django view as the floor
- ``runner``: ``manage.py benchmark``: runs it all and writes a table and JSON
"""
