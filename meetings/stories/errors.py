from core.errors import DomainError


class StoryError(DomainError):
    """A request the rules of stories refuse; the message is translated."""
