"""Who may see and do what with a story. The services call these (they decide); views call them to show only the
buttons that work. Built on ``user.roles`` (computed once per request).

- The workplace's leader and trio write stories; a leader's is shared with the committee at once, a trio member's
  waits for the leader, who shares it. The leader shows a shared story on the public pages, or takes it off.
- The politicians of the workplace's committees see its shared stories; the workplace's leader and trio see all
  of its stories (the author sees why a story was hidden).
- The secretariat sees everything and hides a story, with a reason.
"""

from meetings.models import Story, UserRoles, WorkplaceRole

WRITERS = {WorkplaceRole.Role.LEADER, WorkplaceRole.Role.TRIO}


def can_write(user, workplace) -> bool:
    return bool(UserRoles.of(user).at(workplace.pk) & WRITERS)


def is_leader(user, story: Story) -> bool:
    return WorkplaceRole.Role.LEADER in UserRoles.of(user).at(story.workplace_id)


def is_administrator(user) -> bool:
    return UserRoles.of(user).is_administrator


def can_share(user, story: Story) -> bool:
    return story.status == Story.Status.AWAITING and is_leader(user, story)


def can_set_public(user, story: Story) -> bool:
    return story.status == Story.Status.SHARED and is_leader(user, story)


def can_hide(user, story: Story) -> bool:
    return story.status != Story.Status.HIDDEN and is_administrator(user)


def is_politician_of(user, story: Story) -> bool:
    """A politician of one of the story's workplace's committees (``story.workplace`` with its committees)."""
    committee_ids = UserRoles.of(user).committee_ids
    if not committee_ids:
        return False
    return any(c.pk in committee_ids for c in story.workplace.committees.all())
