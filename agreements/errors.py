from core.errors import DomainError


class AgreementError(DomainError):
    """A request the rules of development agreements refuse; the message is translated and shown to the person."""
