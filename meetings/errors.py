from core.errors import DomainError


class MeetingsError(DomainError):
    """A user's request that the organisation's rules refuse; the message is translated."""
