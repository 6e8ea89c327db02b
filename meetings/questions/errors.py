from core.errors import DomainError


class QuestionError(DomainError):
    """A request the rules of questions to a workplace refuse; the message is translated."""
