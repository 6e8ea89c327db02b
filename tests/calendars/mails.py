"""What a mail client finds in the portal's e-mails: the calendar invitation, read from the message as the SMTP
backend puts it on the wire (``as_bytes`` with CRLF line ends)."""

from email import message_from_bytes


def wire(message):
    """A Django e-mail as the MIME message a mail client receives."""
    return message_from_bytes(message.message().as_bytes(linesep="\r\n"))


def calendar_parts(message) -> list:
    """The ``text/calendar`` parts of a Django e-mail."""
    return [part for part in wire(message).walk() if part.get_content_type() == "text/calendar"]


def invitations(message) -> list[tuple[str, bytes]]:
    """Each inline invitation as (its Content-Type's method, its iCalendar bytes). The ``.ics`` attachment beside
    it must be the same calendar."""
    mime = wire(message)
    found = [
        (part.get_param("method"), part.get_payload(decode=True))
        for part in mime.walk()
        if part.get_content_type() == "text/calendar"
    ]
    files = [part.get_payload(decode=True) for part in mime.walk() if part.get_filename("").endswith(".ics")]
    assert files == [body for _method, body in found], "the .ics attachment differs from the invitation"
    return found
