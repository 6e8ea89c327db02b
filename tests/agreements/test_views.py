"""Agreement pages per role: anonymous, outsider and every role of the cast, refused ones included."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, Comment, Goal, SharedGoal, Status

from .conftest import GOAL, make_agreement

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "chair", "vice_chair", "member", "other_member", "leader", "trio", "other_leader", "outsider"]


def expect(**codes):
    """Codes per role; roles not named get 404."""
    return {role: codes.get(role, 404) for role in ROLES}


# (status, url name, expected code per role) for GET requests.
MATRIX = [
    (Status.DRAFT, "agreement-detail", expect(administrator=200, leader=200)),
    (
        Status.CONSULTATION,
        "agreement-detail",
        expect(administrator=200, leader=200, trio=200),
    ),
    (
        Status.SUBMITTED,
        "agreement-detail",
        expect(administrator=200, leader=200, trio=200, chair=200, vice_chair=200, member=200),
    ),
    (Status.ACTIVE, "agreement-detail", dict.fromkeys(ROLES, 200)),
    (Status.ACTIVE, "agreement-print", dict.fromkeys(ROLES, 200)),
    (Status.DRAFT, "agreement-update", expect(administrator=403, leader=200)),
    (Status.CONSULTATION, "agreement-update", expect(administrator=403, leader=200, trio=403)),
    (
        Status.SUBMITTED,
        "agreement-update",
        expect(administrator=403, leader=403, trio=403, chair=403, vice_chair=403, member=403),
    ),
    (Status.DRAFT, "goal-create", expect(administrator=403, leader=200)),
    (Status.DRAFT, "agreement-consultation", expect(administrator=403, leader=200)),
    (Status.CONSULTATION, "agreement-submit", expect(administrator=403, leader=200, trio=403)),
    (
        Status.CHANGES_REQUESTED,
        "agreement-resubmit",
        expect(administrator=403, leader=200, trio=403, chair=403, vice_chair=403, member=403),
    ),
    (
        Status.SUBMITTED,
        "agreement-request-changes",
        expect(administrator=403, leader=403, trio=403, chair=200, vice_chair=200, member=200),
    ),
    (
        Status.SUBMITTED,
        "agreement-approve",
        expect(administrator=403, leader=403, trio=403, chair=200, vice_chair=200, member=403),
    ),
    (
        Status.APPROVED,
        "agreement-sign",
        expect(administrator=403, leader=200, trio=403, chair=200, vice_chair=200, member=403),
    ),
    (
        Status.ACTIVE,
        "followup-create",
        {**dict.fromkeys(ROLES, 403), "leader": 200, "chair": 200, "vice_chair": 200, "member": 200},
    ),
    (Status.ACTIVE, "agreement-amend", {**dict.fromkeys(ROLES, 403), "leader": 200}),
    (
        Status.FOLLOWED_UP,
        "agreement-close",
        {**dict.fromkeys(ROLES, 403), "administrator": 200, "chair": 200, "vice_chair": 200},
    ),
]


@pytest.mark.parametrize(("status", "name", "codes"), MATRIX, ids=[f"{s}-{n}" for s, n, _c in MATRIX])
def test_every_role_gets_the_page_or_is_refused(client, cast, status, name, codes):
    agreement = make_agreement(cast, status)
    kwargs = {"pk": agreement.pk}
    url = reverse(f"agreements:{name}", kwargs=kwargs)
    assert client.get(url).status_code == 302  # anonymous: to the login
    for role, code in codes.items():
        client.force_login(getattr(cast, role))
        assert client.get(url).status_code == code, (role, name, status)


def test_versions_and_their_differences_are_for_the_people_in_the_dialogue(client, cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    urls = [
        reverse("agreements:version-detail", args=[agreement.pk, 1]),
        reverse("agreements:version-diff", args=[agreement.pk, 1]) + "?fra=1",
    ]
    for role, code in expect(administrator=200, leader=200, trio=200, chair=200, vice_chair=200, member=200).items():
        client.force_login(getattr(cast, role))
        assert client.get(urls[0]).status_code == code, role
        assert client.get(urls[1]).status_code == code, role


def test_a_signature_can_be_checked_by_anyone_who_reads_the_agreement(client, cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    signature = agreement.signatures.first()
    url = reverse("agreements:signature-verify", args=[signature.pk])
    assert client.get(url).status_code == 302
    client.force_login(cast.outsider)
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="signature-holds"' in response.content.decode()


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("administrator", 200),
        ("chair", 200),
        ("member", 200),
        ("other_member", 404),
        ("leader", 404),
        ("outsider", 404),
    ],
)
def test_the_committee_overview_is_for_its_members_and_administrators(client, cast, role, code):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("agreements:committee-overview", args=[cast.committee.slug])).status_code == code


@pytest.mark.parametrize(
    ("role", "list_code", "create_code"),
    [
        ("administrator", 200, 200),
        ("chair", 200, 200),
        ("leader", 200, 404),
        ("trio", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_the_shared_goal_catalogue_is_kept_by_administrators_and_politicians(
    client, cast, role, list_code, create_code
):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("agreements:sharedgoal-list")).status_code == list_code
    assert client.get(reverse("agreements:sharedgoal-create")).status_code == create_code


def test_a_member_adds_a_shared_goal_for_the_committee_and_not_for_another(client_for, cast):
    client = client_for(cast.member)
    year = timezone.localdate().year
    data = {
        "title": "Flere børn i fællesskaber",
        "text": "Alle børn skal høre til.",
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "is_active": "on",
    }
    refused = client.post(reverse("agreements:sharedgoal-create"), {**data, "committee": cast.other_committee.pk})
    assert refused.status_code == 200 and not SharedGoal.objects.exists()
    response = client.post(reverse("agreements:sharedgoal-create"), {**data, "committee": cast.committee.pk})
    assert response.status_code == 302
    assert SharedGoal.objects.get().committee == cast.committee


@pytest.mark.parametrize(("role", "code"), [("leader", 200), ("other_leader", 404), ("administrator", 404)])
def test_only_the_workplaces_leader_starts_its_agreement(client, cast, role, code):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("agreements:agreement-start", args=[cast.workplace.slug])).status_code == code


def test_the_leader_starts_from_an_empty_template_and_lands_on_the_editor(client_for, cast):
    client = client_for(cast.leader)
    year = timezone.localdate().year
    response = client.post(
        reverse("agreements:agreement-start", args=[cast.workplace.slug]),
        {"committee": cast.committee.pk, "year": year, "start_from": "empty"},
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("agreements:agreement-update", args=[agreement.pk])
    assert agreement.period_start.year == year


def test_a_refused_edit_keeps_what_was_typed(client_for, cast, agreement):
    client = client_for(cast.leader)
    response = client.post(
        reverse("agreements:agreement-update", args=[agreement.pk]),
        {
            "core_task": "Min nye tekst om kerneopgaven",
            "support": "",
            "follow_up_plan": "",
            "period_start": agreement.period_start.isoformat(),
            "period_end": agreement.period_start.isoformat(),  # ends when it starts: refused
        },
    )
    assert response.status_code == 200
    assert "Min nye tekst om kerneopgaven" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.core_task != "Min nye tekst om kerneopgaven"


def test_autosave_answers_json_and_saves_the_draft(client_for, cast, agreement):
    client = client_for(cast.leader)
    data = {
        "core_task": "Gemt automatisk",
        "support": "",
        "follow_up_plan": "",
        "period_start": agreement.period_start.isoformat(),
        "period_end": agreement.period_end.isoformat(),
    }
    response = client.post(reverse("agreements:agreement-update", args=[agreement.pk]), data, HTTP_X_AUTOSAVE="1")
    assert response.status_code == 200 and response.json()["saved"] is True
    agreement.refresh_from_db()
    assert agreement.core_task == "Gemt automatisk"
    bad = client.post(
        reverse("agreements:agreement-update", args=[agreement.pk]),
        {**data, "period_end": "ikke en dato"},
        HTTP_X_AUTOSAVE="1",
    )
    assert bad.status_code == 400 and bad.json()["saved"] is False


def test_a_goal_without_an_indicator_is_refused_and_the_form_keeps_the_text(client_for, cast, agreement):
    client = client_for(cast.leader)
    response = client.post(
        reverse("agreements:goal-create", args=[agreement.pk]), {**GOAL, "title": "Mit nye mål", "indicator": ""}
    )
    assert response.status_code == 200
    assert "Mit nye mål" in response.content.decode()
    assert not Goal.objects.filter(title="Mit nye mål").exists()


def test_transitions_confirm_on_get_and_act_on_post(client_for, cast):
    agreement = make_agreement(cast, Status.CONSULTATION)
    client = client_for(cast.leader)
    url = reverse("agreements:agreement-submit", args=[agreement.pk])
    client.get(url)
    agreement.refresh_from_db()
    assert agreement.status == Status.CONSULTATION
    assert client.post(url).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Status.SUBMITTED


def test_a_member_asks_for_changes_and_an_empty_note_is_refused_on_the_page(client_for, cast):
    agreement = make_agreement(cast, Status.SUBMITTED)
    client = client_for(cast.member)
    url = reverse("agreements:agreement-request-changes", args=[agreement.pk])
    assert client.post(url, {"note": ""}).status_code == 200
    agreement.refresh_from_db()
    assert agreement.status == Status.SUBMITTED
    client.post(url, {"note": "Gør indikatoren målbar."})
    agreement.refresh_from_db()
    assert agreement.status == Status.CHANGES_REQUESTED


def test_a_user_mistake_on_a_transition_is_a_message_not_a_500(client_for, cast):
    agreement = make_agreement(cast, Status.CONSULTATION, goals=0)
    response = client_for(cast.leader).post(reverse("agreements:agreement-submit", args=[agreement.pk]), follow=True)
    assert response.status_code == 200
    assert "mindst ét mål" in response.content.decode() or "at least one goal" in response.content.decode()


def test_the_leader_and_chair_sign_through_the_page(client_for, cast):
    agreement = make_agreement(cast, Status.APPROVED)
    for person, side in ((cast.leader, "workplace"), (cast.chair, "committee")):
        client = client_for(person)
        url = reverse("agreements:agreement-sign", args=[agreement.pk])
        page = client.get(url)
        assert agreement.versions.get().fingerprint in page.content.decode()
        response = client.post(url, {"side": side, "has_read": "on", "typed_name": person.full_name})
        assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE


def test_the_vice_chair_must_say_why_the_chair_is_absent_on_the_sign_page(client_for, cast):
    agreement = make_agreement(cast, Status.APPROVED)
    client = client_for(cast.vice_chair)
    url = reverse("agreements:agreement-sign", args=[agreement.pk])
    data = {"side": "committee", "has_read": "on", "typed_name": cast.vice_chair.full_name}
    assert client.post(url, data).status_code == 200
    assert not agreement.signatures.exists()
    client.post(url, {**data, "chair_absence": "Formanden er på barsel."})
    assert agreement.signatures.get().chair_absence == "Formanden er på barsel."


def test_comments_are_added_and_resolved_through_the_page(client_for, cast):
    agreement = make_agreement(cast, Status.CONSULTATION)
    goal = agreement.goals.first()
    trio = client_for(cast.trio)
    trio.post(reverse("agreements:comment-create", args=[agreement.pk]), {"target": f"goal:{goal.pk}", "body": "Godt"})
    comment = Comment.objects.get()
    assert comment.goal == goal and comment.author == cast.trio
    assert client_for(cast.outsider).post(reverse("agreements:comment-resolve", args=[comment.pk])).status_code == 404
    client_for(cast.leader).post(reverse("agreements:comment-resolve", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.is_resolved


def test_the_diff_starts_from_the_version_the_reviewer_last_saw(client_for, cast):
    agreement = make_agreement(cast, Status.CHANGES_REQUESTED)
    client = client_for(cast.member)
    client.get(reverse("agreements:version-detail", args=[agreement.pk, 1]))
    goal = agreement.ordered_goals()[0]
    services.goal_save(agreement=agreement, actor=cast.leader, goal=goal, data={**GOAL, "title": "Nyt navn"})
    services.agreement_resubmit(agreement=agreement, actor=cast.leader)
    detail = client.get(agreement.get_absolute_url()).content.decode()
    assert 'data-testid="diff-link-2"' in detail
    response = client.get(reverse("agreements:version-diff", args=[agreement.pk, 2]))
    assert response.context["base"].number == 1
    content = response.content.decode()
    assert "Nyt navn" in content and "Mål 1" in content
    assert response.context["changed"]


def test_a_follow_up_from_the_visit_page_returns_there(client_for, cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    client = client_for(cast.member)
    goal = agreement.ordered_goals()[0]
    response = client.post(
        reverse("agreements:followup-create", args=[agreement.pk]),
        {"kind": "midterm", f"status_{goal.pk}": "at_risk", f"note_{goal.pk}": "Svært", "next": "/arbejdspladser/x/"},
    )
    assert response.status_code == 302 and response.url == "/arbejdspladser/x/"
    assert goal.followups.get().status == "at_risk"
    unsafe = client.post(
        reverse("agreements:followup-create", args=[agreement.pk]),
        {"kind": "midterm", f"status_{goal.pk}": "on_track", "next": "https://evil.example/"},
    )
    assert unsafe.url == agreement.get_absolute_url()


def test_the_list_shows_the_persons_own_agreements_only(client_for, cast):
    mine = make_agreement(cast, Status.SUBMITTED)
    content = client_for(cast.member).get(reverse("agreements:agreement-list")).content.decode()
    assert f'data-testid="agreement-row-{mine.pk}"' in content
    content = client_for(cast.other_member).get(reverse("agreements:agreement-list")).content.decode()
    assert f'data-testid="agreement-row-{mine.pk}"' not in content


def test_the_diff_can_show_only_the_changes(client_for, cast):
    agreement = make_agreement(cast, Status.CHANGES_REQUESTED)
    goal = agreement.ordered_goals()[0]
    services.goal_save(
        agreement=agreement, actor=cast.leader, goal=goal, data={**GOAL, "title": goal.title, "target": "99 %"}
    )
    services.agreement_resubmit(agreement=agreement, actor=cast.leader)
    url = reverse("agreements:version-diff", args=[agreement.pk, 2]) + "?fra=1&kun=aendringer"
    rows = client_for(cast.chair).get(url).context["rows"]
    assert [(r.old, r.new) for r in rows if r.kind != "same"] == [("85 %", "99 %")]
    assert rows[0].kind == "same" and rows[0].new.startswith("###")
