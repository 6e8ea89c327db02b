"""The models of meetings/, one module per part of the design.

- organisation: people, committees, workplaces, roles, blackouts, hosting wishes and venues
- rotation: meeting dates, rotation plans, published meetings, hostings, planning runs and the published ledgers
- visits: visit offers, slots, bookings, their events, feedback, ties and calendar feed tokens
- hearings: matters the committees treat, the workplaces heard on them and their responses
- questions: questions from politicians to a workplace and their answers
- stories: stories from everyday work that workplaces share with their committee, and their events
- notices: each person's choice per notice channel, the notices waiting for the weekly digest and the digests
"""

from .hearings import (  # noqa: F401
    FrozenError,
    Hearing,
    HearingComment,
    HearingResponse,
    Matter,
    MatterFile,
    Presentation,
)
from .notices import NoticeChoice, NoticeDigest, NoticeItem, NoticePreference  # noqa: F401
from .organisation import (  # noqa: F401
    FEEDS_VERSION_KEY,
    LEDGER_VERSION_KEY,
    Blackout,
    BorrowedVenue,
    Committee,
    CommitteeMembership,
    DatedQuerySet,
    District,
    HostingWish,
    User,
    UserManager,
    UserRoles,
    Venue,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
    feeds_version_keys,
    ledger_version_bump,
    person_cached,
    person_version_bump,
    roles_version_bump,
    roles_version_keys,
    totp_enabled_cached,
)
from .questions import QUESTION_TEXT_MAX, FrozenAnswerError, Question, QuestionAnswer  # noqa: F401
from .rotation import (  # noqa: F401
    CancellationRequest,
    Hosting,
    LedgerSnapshot,
    Meeting,
    MeetingDate,
    MeetingEvent,
    MeetingInvitation,
    MeetingReminder,
    PlannedMeeting,
    PlanningRun,
    PublishedInputs,
    RotationPlan,
)
from .stories import Story, StoryEvent  # noqa: F401
from .visits import (  # noqa: F401
    CalendarFeedToken,
    Visit,
    VisitEvent,
    VisitFeedback,
    VisitOffer,
    VisitParticipant,
    VisitSettings,
    VisitSlot,
    WaitlistEntry,
    WorkplaceTie,
)
