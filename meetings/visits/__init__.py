"""Workplace visits (issue #4): services, reads, views, forms and the iCalendar feed.

The models live in ``meetings/models/visits.py``; the slot generator in ``slots.py`` is pure.
"""
