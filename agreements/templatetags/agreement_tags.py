from django import template

from .. import permissions as can
from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def workplace_goals(context, workplace):
    """The workplace's agreements in force with their goals and latest status, and whether the person looking
    may record a follow-up. Three queries. Used by ``agreements/_workplace_goals.html``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or workplace is None:
        return []
    agreements = selectors.workplace_goals(workplace)
    for agreement in agreements:
        agreement.may_follow_up = can.can_follow_up(user, agreement)
    return agreements


@register.filter
def diff_line(text):
    """A line of the comparison: ``(is_heading, text)`` with the heading marks (``#``) taken off."""
    if text is None:
        return (False, None)
    if text.startswith("#"):
        return (True, text.lstrip("#").strip())
    return (False, text)
