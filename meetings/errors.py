class MeetingsError(Exception):
    """A user's request that the organisation's rules refuse; the message is translated."""
