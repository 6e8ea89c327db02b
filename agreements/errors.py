class AgreementError(Exception):
    """A request the rules of development agreements refuse; the message is translated and shown to the person."""
