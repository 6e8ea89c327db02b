from core.errors import DomainError


class HearingError(DomainError):
    """A request the rules of hearings refuse; the message is translated."""
