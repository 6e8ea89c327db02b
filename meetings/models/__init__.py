"""The models of meetings/, one module per part of the design.

- organisation: people, committees, workplaces, roles and blackouts
"""

from .organisation import (  # noqa: F401
    Blackout,
    Committee,
    CommitteeMembership,
    DatedQuerySet,
    District,
    User,
    UserManager,
    UserRoles,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
)
