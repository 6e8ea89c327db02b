"""Who may do what with a positive list. The services call these (they decide); views call them to show only the
buttons that work. Built on ``user.roles`` (computed once per request), no queries.

- Everyone may read the lists (the public pages show what is in force and what was removed, without names).
- The secretariat (administrators) adds, changes and reviews items on every list, the city council's included.
- A committee's chair adds, changes and reviews items on the committee's list.
- An item's owner (the person named as owner in the portal) changes and reviews that item.
- A removed item is history: nobody changes or reviews it.
"""

from meetings.models import UserRoles

from .models import PolicyItem


def is_secretariat(user) -> bool:
    return UserRoles.of(user).is_administrator


def can_add(user, committee) -> bool:
    """Add to a committee's list (``committee=None``: the city council's, which only the secretariat keeps)."""
    roles = UserRoles.of(user)
    if roles.is_administrator:
        return True
    return committee is not None and committee.pk in roles.chair_committee_ids


def may_add_anywhere(user) -> bool:
    roles = UserRoles.of(user)
    return roles.is_administrator or bool(roles.chair_committee_ids)


def is_owner(user, item: PolicyItem) -> bool:
    return user is not None and user.is_authenticated and item.owner_person_id == user.pk


def can_manage(user, item: PolicyItem) -> bool:
    """Change or review the item: the secretariat, the chair of its committee, or its owner; only while in force."""
    if not item.is_in_force:
        return False
    roles = UserRoles.of(user)
    if roles.is_administrator or is_owner(user, item):
        return True
    return item.committee_id is not None and item.committee_id in roles.chair_committee_ids
