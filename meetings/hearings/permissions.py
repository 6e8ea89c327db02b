"""Who may see and do what with a matter and its hearings. The services call these (they decide); views call them
to show only the buttons that work. Built on ``user.roles`` (computed once per request) and at most one query for
the named employees.

- Administrators (the secretariat) see everything and register matters for any committee.
- The committee's chair registers matters for the committee; its members see its matters, their files and the
  submitted responses (never the drafts or the comments).
- A workplace heard: its people see the matter and its files. Its leader writes the draft and submits the
  response; the trio and the employees named for the hearing read the draft and comment.
- Everyone else sees nothing.
"""

from meetings.models import Hearing, Matter, UserRoles, WorkplaceRole


def is_administrator(user) -> bool:
    return UserRoles.of(user).is_administrator


def can_register(user, committee) -> bool:
    roles = UserRoles.of(user)
    return roles.is_administrator or committee.pk in roles.chair_committee_ids


def may_register_anything(user) -> bool:
    roles = UserRoles.of(user)
    return roles.is_administrator or bool(roles.chair_committee_ids)


def is_member(user, matter: Matter) -> bool:
    return matter.committee_id in UserRoles.of(user).committee_ids


def is_chair(user, matter: Matter) -> bool:
    return matter.committee_id in UserRoles.of(user).chair_committee_ids


def is_leader(user, hearing: Hearing) -> bool:
    return WorkplaceRole.Role.LEADER in UserRoles.of(user).at(hearing.workplace_id)


def is_trio(user, hearing: Hearing) -> bool:
    return WorkplaceRole.Role.TRIO in UserRoles.of(user).at(hearing.workplace_id)


def is_commenter(user, hearing: Hearing) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(hearing, "_prefetched_objects_cache", {}).get("commenters")
    if cached is not None:
        return any(person.pk == user.pk for person in cached)
    return hearing.commenters.filter(pk=user.pk).exists()


def is_heard(user, hearing: Hearing) -> bool:
    """Holds a role at the workplace heard."""
    return bool(UserRoles.of(user).at(hearing.workplace_id))


def can_view_matter(user, matter: Matter, hearings=None) -> bool:
    if is_administrator(user) or is_member(user, matter):
        return True
    roles = UserRoles.of(user)
    if not roles.workplace_roles:
        return False
    heard = hearings if hearings is not None else matter.hearings.all()
    return any(h.workplace_id in roles.workplace_roles for h in heard)


def sees_every_hearing(user, matter: Matter) -> bool:
    """The secretariat and the committee see every workplace's response; a workplace sees its own."""
    return is_administrator(user) or is_member(user, matter)


def can_view_hearing(user, hearing: Hearing) -> bool:
    return sees_every_hearing(user, hearing.matter) or is_heard(user, hearing)


def can_see_draft(user, hearing: Hearing) -> bool:
    return is_administrator(user) or is_leader(user, hearing) or is_trio(user, hearing) or is_commenter(user, hearing)


def can_edit_draft(user, hearing: Hearing) -> bool:
    return is_leader(user, hearing) and hearing.matter.decided_at is None


def can_comment(user, hearing: Hearing) -> bool:
    return (
        is_leader(user, hearing) or is_trio(user, hearing) or is_commenter(user, hearing)
    ) and hearing.matter.decided_at is None


def can_respond(user, hearing: Hearing) -> bool:
    return can_edit_draft(user, hearing)


def can_set_publication(user, hearing: Hearing) -> bool:
    """Only the workplace's leader agrees (or withdraws the agreement) that its response is shown publicly."""
    return is_leader(user, hearing)
