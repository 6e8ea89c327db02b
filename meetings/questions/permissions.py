"""Who may see and do what with a question to a workplace. The services call these (they decide); views call them
to show only the buttons that work. Built on ``user.roles`` (computed once per request); no queries.

- A politician asks the active workplaces under a committee they sit on.
- The secretariat, the committee's members, the workplace's leader and trio see the question and its answers.
  Nobody edits a question: the secretariat reads, it does not rewrite.
- The workplace's leader answers, or passes the question on to a head of centre; once passed on, the head of centre
  answers (when they have an account).
- An answer is final; whoever gave it may add a correction as a new answer.
- Everyone else sees nothing.
"""

from meetings.models import Question, UserRoles, WorkplaceRole


def is_administrator(user) -> bool:
    return UserRoles.of(user).is_administrator


def can_ask(user, committee) -> bool:
    return committee.pk in UserRoles.of(user).committee_ids


def may_ask_anything(user) -> bool:
    return UserRoles.of(user).is_politician


def is_member(user, question: Question) -> bool:
    return question.committee_id in UserRoles.of(user).committee_ids


def is_leader(user, question: Question) -> bool:
    return WorkplaceRole.Role.LEADER in UserRoles.of(user).at(question.workplace_id)


def is_trio(user, question: Question) -> bool:
    return WorkplaceRole.Role.TRIO in UserRoles.of(user).at(question.workplace_id)


def is_head_of_centre(user, question: Question) -> bool:
    return user.is_authenticated and question.passed_to_id is not None and question.passed_to_id == user.pk


def can_view(user, question: Question) -> bool:
    return (
        is_administrator(user)
        or is_member(user, question)
        or is_leader(user, question)
        or is_trio(user, question)
        or is_head_of_centre(user, question)
    )


def can_answer(user, question: Question) -> bool:
    """The leader answers an open question; the head of centre one passed on to them."""
    if question.status == Question.Status.OPEN:
        return is_leader(user, question)
    if question.status == Question.Status.PASSED_ON:
        return is_head_of_centre(user, question)
    return False


def can_correct(user, question: Question) -> bool:
    """An answered question: whoever was to answer it (the leader, or the head of centre it was passed to) may add a
    correction."""
    if question.status != Question.Status.ANSWERED:
        return False
    return is_head_of_centre(user, question) if question.passed_at else is_leader(user, question)


def can_pass_on(user, question: Question) -> bool:
    return question.status == Question.Status.OPEN and is_leader(user, question)
