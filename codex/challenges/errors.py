from ..errors import CodexError


class ChallengeError(CodexError):
    """A step on a challenge of a rule that its rules refuse; the message is translated and shown to the person."""
