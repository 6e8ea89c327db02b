"""The one base of every app's domain error.

Each app refuses a request its rules forbid with its own subclass (``MeetingsError``, ``CodexError``,
``AgreementError``); the message is translated and shown to the person. A caller that only needs to know "a rule
said no" (a task, a command, a page that calls two apps) catches :class:`DomainError`.
"""


class DomainError(Exception):
    """A request the portal's rules refuse; the message is translated and shown to the person."""
