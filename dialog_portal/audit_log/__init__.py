"""The audit log for the secretariat: a page that reads the hash-chained log (``core/audit.py``) in plain
words, filters it by person, action, object and period, links each entry to its object's page, and exports it.

It lives on the top floor because it names and links objects of every part of the portal; nothing imports it.
"""
