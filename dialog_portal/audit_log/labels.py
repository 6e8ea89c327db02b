"""Plain Danish words for the audit log: what each action code means, what each object type is called, and the
names of the keys services write into an entry's details.

Every action code the portal writes (``audit_record(action=…)``) has a label here; a test reads the source and
fails on a code without one, so a new code cannot reach the page as a bare ``foo.bar``.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Grouped by area, in the order the filter lists them.
ACTIONS: dict[str, object] = {
    # Development agreements (agreements/services.py; the workflow's edges in agreements/workflow.py)
    "agreement.created": _("Agreement started"),
    "agreement.consultation_opened": _("Agreement sent for comments"),
    "agreement.submitted": _("Agreement sent to the committee"),
    "agreement.changes_requested": _("Committee asked for changes to an agreement"),
    "agreement.resubmitted": _("Agreement sent to the committee again"),
    "agreement.approved": _("Agreement approved"),
    "agreement.signature": _("Agreement signed by one side"),
    "agreement.signed": _("Agreement signed by both sides"),
    "agreement.activated": _("Agreement came into force"),
    "agreement.followup": _("Follow-up recorded"),
    "agreement.followed_up": _("Agreement followed up"),
    "agreement.closed": _("Agreement closed"),
    "agreement.superseded": _("Agreement replaced by its revision"),
    "agreement.amendment_started": _("Revision of an agreement started"),
    "agreement.shared_goal_saved": _("Shared goal saved"),
    # The codex of trust (codex/services.py)
    "codex.published": _("Codex published"),
    "codex.sign": _("Codex signed"),
    "codex.withdraw": _("Signature on the codex withdrawn"),
    # The positive list (codex/positive_list/services.py)
    "codex.policy_item_added": _("Item added to the positive list"),
    "codex.policy_item_changed": _("Item on the positive list changed"),
    "codex.policy_item_keep": _("Item on the positive list reviewed: kept"),
    "codex.policy_item_simplify": _("Item on the positive list reviewed: simplified"),
    "codex.policy_item_abolish": _("Item on the positive list reviewed: abolished"),
    # Visits (meetings/visits/services.py)
    "visit.requested": _("Visit booked"),
    "visit.confirmed": _("Visit confirmed"),
    "visit.declined": _("Visit declined"),
    "visit.cancelled": _("Visit cancelled"),
    "visit.moved": _("Visit moved"),
    "visit.held": _("Visit held"),
    "visit.cancelled_late": _("Visit cancelled late"),
    "visit.no_show": _("Visit confirmed as not taken place"),
    "visit.waitlist_joined": _("Joined a waiting list for visits"),
    "visit.waitlist_left": _("Left a waiting list for visits"),
    "visit.waitlist_offered": _("Time held for the first on a waiting list"),
    "visit.waitlist_lapsed": _("Hold for the waiting list lapsed"),
    "visit.waitlist_booked": _("Time from a waiting list booked"),
    "calendar.revoked": _("Calendar address closed"),
    # The meeting plan (meetings/rotation/services.py)
    "rotation.dates_generated": _("Meeting dates proposed"),
    "rotation.date_saved": _("Meeting date saved"),
    "rotation.date_deleted": _("Meeting date removed"),
    "rotation.planning_started": _("Planning of a meeting plan started"),
    "rotation.drafted": _("Meeting plan drafted"),
    "rotation.ledger_published": _("Equal-access ledger published for a month"),
    "rotation.host_swapped": _("Host changed in a draft plan"),
    "rotation.guest_moved": _("Guest moved in a draft plan"),
    "rotation.published": _("Meeting plan published"),
    "rotation.wishes_saved": _("Wishes for hosting saved"),
    # Published meetings (meetings/rotation/services.py)
    "meeting.moved": _("Meeting moved"),
    "meeting.updated": _("Meeting's agenda or programme changed"),
    "meeting.minutes": _("Minutes written"),
    "meeting.outcome": _("What happened at a meeting confirmed"),
    "meeting.cancellation_requested": _("Host withdrew from a meeting"),
    "meeting.replanned": _("New host found for a meeting"),
    # Hearings (meetings/hearings/services.py)
    "hearing.matter_registered": _("Matter registered for a hearing"),
    "hearing.responded": _("Hearing response sent"),
    "hearing.corrected": _("Corrected hearing response sent"),
    "hearing.presentation_requested": _("Leader asked to present a matter at the meeting"),
    "hearing.presentation_accepted": _("Presentation at the meeting accepted"),
    "hearing.presentation_declined": _("Presentation at the meeting declined"),
    "hearing.decided": _("Committee's decision on a matter recorded"),
    "hearing.response_public_agreed": _("Leader agreed to show a hearing response publicly"),
    "hearing.response_public_withdrawn": _("Leader withdrew the agreement to show a hearing response publicly"),
    # Questions to a workplace (meetings/questions/services.py)
    "question.asked": _("Question asked to a workplace"),
    "question.answered": _("Question to a workplace answered"),
    "question.corrected": _("Answer to a question corrected"),
    "question.passed_on": _("Question passed on to the administration"),
    # Challenges of rules (codex/challenges/services.py)
    "challenge.created": _("Challenge of a rule written"),
    "challenge.changed": _("Draft challenge of a rule changed"),
    "challenge.submitted": _("Challenge of a rule sent to the committee"),
    "challenge.scheduled": _("Challenge of a rule put on a meeting"),
    "challenge.granted": _("Challenge of a rule granted"),
    "challenge.trial_granted": _("Challenge of a rule granted as a trial"),
    "challenge.rejected": _("Challenge of a rule rejected"),
    "challenge.passed_on": _("Challenge of a rule passed to the city council"),
    "challenge.made_permanent": _("Trial on a challenge of a rule made permanent"),
    "challenge.extended": _("Trial on a challenge of a rule extended"),
    "challenge.stopped": _("Trial on a challenge of a rule stopped"),
    "challenge.joined": _("Workplace added to a challenge of a rule"),
    "challenge.trial_reminded": _("End of a trial on a challenge of a rule reminded"),
    # The organisation and access (meetings/imports/, meetings/signals.py, dialog_portal/privacy.py)
    "organisation.imported": _("Organisation imported"),
    "permission.administrator_created": _("Administrator created"),
    "permission.flags_changed": _("Access changed (administrator, active)"),
    "permission.committeemembership_created": _("Committee membership given"),
    "permission.committeemembership_changed": _("Committee membership changed"),
    "permission.committeemembership_deleted": _("Committee membership removed"),
    "permission.workplacerole_created": _("Role at a workplace given"),
    "permission.workplacerole_changed": _("Role at a workplace changed"),
    "permission.workplacerole_deleted": _("Role at a workplace removed"),
    "permission.raised_by_import": _("Access raised by an import (confirmed)"),
    "person.erased": _("Personal data erased"),
    # Accounts (meetings/account_views.py, meetings/login_protection.py, meetings/admin.py)
    "account.email_changed": _("Login e-mail address changed by the secretariat"),
    "account.protected_login_link_sent": _("Login link sent after too many failed logins"),
    "account.second_factor_reset": _("Two-factor authentication reset"),
    "account.sso_linked": _("Municipal login linked to a person"),
    "account.sso_unlinked": _("Municipal login unlinked from a person"),
    # Stories from everyday work (meetings/stories/services.py)
    "story.written": _("Story written, waiting for the leader"),
    "story.shared": _("Story shared with the committee"),
    "story.made_public": _("Story shown on the public pages"),
    "story.made_private": _("Story taken off the public pages"),
    "story.hidden": _("Story hidden by the secretariat"),
    # Notice choices (meetings/notices.py)
    "notices.preferences_set": _("Choice of notices changed"),
    # Notices (core/outbox.py) and the hash chains (core/chains.py)
    "outbox.given_up": _("Notice given up after repeated failures"),
    "outbox.retried": _("Notice sent again"),
    "chains.rekeyed": _("Hash chains re-keyed"),
    # This page
    "audit.exported": _("Audit log exported"),
}

AREAS: dict[str, object] = {
    "agreement": _("Development agreements"),
    "codex": _("Codex of trust"),
    "visit": _("Visits"),
    "rotation": _("Meeting plans"),
    "meeting": _("Committee meetings"),
    "hearing": _("Hearings"),
    "challenge": _("Challenges of rules"),
    "organisation": _("Organisation"),
    "permission": _("Access"),
    "person": _("People"),
    "account": _("Accounts"),
    "calendar": _("Calendar addresses"),
    "story": _("Stories"),
    "notices": _("Choice of notices"),
    "outbox": _("Notices"),
    "chains": _("Hash chains"),
    "audit": _("Audit log"),
}

# Object types as the log stores them (``app_label.model``).
OBJECT_TYPES: dict[str, object] = {
    "agreements.agreement": _("Development agreement"),
    "agreements.sharedgoal": _("Shared goal"),
    "codex.codexversion": _("Codex version"),
    "codex.signatureevent": _("Signature on the codex"),
    "codex.policyitem": _("Item on the positive list"),
    "meetings.visit": pgettext_lazy("audit object", "Visit"),
    "meetings.waitlistentry": _("Place on a waiting list"),
    "meetings.meeting": _("Committee meeting"),
    "meetings.rotationplan": _("Meeting plan"),
    "meetings.meetingdate": _("Meeting date"),
    "meetings.planningrun": _("Planning run"),
    "codex.challenge": _("Challenge of a rule"),
    "meetings.matter": _("Matter"),
    "meetings.story": _("Story"),
    "meetings.committee": pgettext_lazy("audit object", "Committee"),
    "meetings.workplace": pgettext_lazy("audit object", "Workplace"),
    "meetings.user": pgettext_lazy("audit object", "Person"),
    "meetings.committeemembership": _("Committee membership"),
    "meetings.workplacerole": _("Role at a workplace"),
    "organisation": _("The organisation"),
    "audit": _("Audit log"),
}

# The keys services write into ``data``, in the order details are shown.
DATA_KEYS: dict[str, object] = {
    "from": pgettext_lazy("audit detail", "From"),
    "to": pgettext_lazy("audit detail", "To"),
    "version": _("Version"),
    "side": _("Signs for"),
    "role": pgettext_lazy("audit detail", "Role"),
    "person": pgettext_lazy("audit detail", "Person"),
    "where": _("Committee or workplace"),
    "start": _("From date"),
    "end": _("To date"),
    "year": pgettext_lazy("audit detail", "Year"),
    "date": pgettext_lazy("audit detail", "Date"),
    "dates": _("Dates"),
    "committee": pgettext_lazy("audit detail", "Committee"),
    "host": _("Host"),
    "from_host": _("Former host"),
    "to_host": _("New host"),
    "workplace": pgettext_lazy("audit detail", "Workplace"),
    "meetings": _("Meetings"),
    "broken_rules": _("Broken rules"),
    "new_breaks": _("New broken rules"),
    "reason": pgettext_lazy("audit detail", "Reason"),
    "request": _("Request"),
    "change": _("Kind of change"),
    "carried_from": _("Started from agreement"),
    "amends": _("Revises agreement"),
    "signature": pgettext_lazy("audit detail", "Signature"),
    "followups": _("Follow-ups"),
    "statuses": _("Statuses"),
    "active": _("May be chosen"),
    "text_changed": _("Text changed"),
    "frozen_agreements": _("Agreements keeping their text"),
    "removed": _("Removed"),
    "filters": _("Filters"),
    "rows": _("Rows"),
    "slot": _("Visit time"),
    "until": _("Held until"),
    "workplaces": _("Workplaces"),
    "deadline": _("Hearing deadline"),
    "working_days": _("Working days to answer"),
    "urgent": _("Urgent"),
    "files": _("Files"),
    "no_comments": _("No comments"),
    "late": _("After the deadline"),
    "fingerprint": _("Fingerprint"),
    "public": _("Public"),
    "without_response": _("Treated without a response from"),
    "hours": _("Hours a month"),
    "note": _("Note"),
    "ends": _("Ends"),
    "item": _("Item on the positive list"),
    "fields": _("Fields changed"),
    "review": pgettext_lazy("audit detail", "Review"),
    "source": _("Decided on the basis of"),
    "prefer": _("Months wished for"),
    "avoid": _("Months avoided"),
}


def action_label(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def object_type_label(object_type: str) -> str:
    label = OBJECT_TYPES.get(object_type)
    return str(label) if label is not None else object_type


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The actions grouped by area for a <select> with <optgroup>s."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in ACTIONS.items():
        groups.setdefault(code.split(".", 1)[0], []).append((code, str(label)))
    return [(str(AREAS.get(area, area)), items) for area, items in groups.items()]
