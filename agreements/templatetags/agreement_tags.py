from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def workplace_goals(context, workplace):
    """The workplace's agreements in force with their goals and latest status, and whether the person looking
    may record a follow-up. Three queries. Used by ``agreements/_workplace_goals.html``."""
    preloaded = context.get("goal_agreements")
    if preloaded is not None:  # the view loaded them, so no query runs while the page renders
        return preloaded
    request = context.get("request")
    return selectors.workplace_goals_for(getattr(request, "user", None), workplace)


@register.filter
def diff_line(text):
    """A line of the comparison: ``(is_heading, text)`` with the heading marks (``#``) taken off."""
    if text is None:
        return (False, None)
    if text.startswith("#"):
        return (True, text.lstrip("#").strip())
    return (False, text)
