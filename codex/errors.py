from core.errors import DomainError


class CodexError(DomainError):
    """A request the codex's rules refuse; the message is translated and shown to the person."""
