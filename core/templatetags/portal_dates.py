"""Template filters for the portal's named date formats (core/dates.py): ``{{ visit.starts_at|when:"datetime" }}``,
``{{ slot.starts_at|clock_range:slot.ends_at }}``, ``{{ meeting.date|week }}``."""

from django import template

from core import dates

register = template.Library()


@register.filter
def when(value, name="date"):
    return dates.when(value, name)


@register.filter
def clock_range(start, end=None):
    return dates.clock_range(start, end)


@register.filter
def week(value):
    return dates.week(value)


@register.filter
def week_span(value):
    return dates.week_span(value) if value else ""
