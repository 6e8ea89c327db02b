class CodexError(Exception):
    """A request the codex's rules refuse; the message is translated and shown to the person."""
