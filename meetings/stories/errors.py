from core.errors import DomainError


class StoryError(DomainError):
    """A request the rules of stories refuse; the message is translated. ``field`` names the form field the refusal
    is about (the photo), so the page shows it there."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field
