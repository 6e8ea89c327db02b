"""The hearing pages for every role: who sees what, who may do what, and the refused ones."""

import pytest
from django.urls import reverse

from meetings.hearings import services
from meetings.models import Matter
from meetings.workdays import add_working_days

from .conftest import pdf

ALL = ["administrator", "chair", "vice_chair", "member", "other_member", "leader", "trio", "other_leader", "outsider"]
# The matters with their committee and date, their hearings, their responses (session, person and roles are cached:
# issue 19).
LIST_QUERIES = 3
SEES_MATTER = {"administrator", "chair", "vice_chair", "member", "leader", "trio"}


@pytest.mark.parametrize("who", ALL)
def test_the_matter_page_is_shown_only_to_the_committee_the_secretariat_and_the_workplaces_heard(
    client_for, cast, matter, who
):
    response = client_for(getattr(cast, who)).get(matter.get_absolute_url())
    assert response.status_code == (200 if who in SEES_MATTER else 404)


def test_anonymous_is_sent_to_log_in(client, matter):
    response = client.get(matter.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url


def test_a_workplace_sees_its_own_hearing_and_not_the_others(client_for, cast, heard, matter):
    own = matter.hearings.get(workplace=cast.workplace)
    other = matter.hearings.get(workplace=heard.second_workplace)
    client = client_for(cast.leader)
    page = client.get(matter.get_absolute_url()).content.decode()
    assert cast.workplace.name in page and heard.second_workplace.name not in page
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_the_committee_sees_the_submitted_response_but_not_the_draft_or_comments(client_for, cast, hearing):
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="Sendt tekst")
    services.hearing_comment_add(hearing=hearing, actor=cast.trio, body="Intern kommentar")
    services.hearing_respond(hearing=hearing, actor=cast.leader)
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="Hemmeligt nyt udkast")
    page = client_for(cast.member).get(hearing.get_absolute_url()).content.decode()
    assert "Sendt tekst" in page
    assert "Hemmeligt nyt udkast" not in page and "Intern kommentar" not in page
    trio_page = client_for(cast.trio).get(hearing.get_absolute_url()).content.decode()
    assert "Hemmeligt nyt udkast" in trio_page and "Intern kommentar" in trio_page


@pytest.mark.parametrize("who", ["administrator", "chair"])
def test_secretariat_and_chair_register_a_matter_on_the_page(client_for, cast, heard, who):
    client = client_for(getattr(cast, who))
    assert client.get(reverse("meetings:matter-create")).status_code == 200
    response = client.post(
        reverse("meetings:matter-create"),
        {
            "committee": cast.committee.pk,
            "meeting_date": heard.meeting_date.pk,
            "title": "Ny skolestruktur",
            "case_number": "17.01.00-A00-2-26",
            "summary": "Et *forslag*.<script>alert(1)</script>",
            "workplaces": [cast.workplace.pk],
            "deadline": add_working_days(heard.today, 10).isoformat(),
            "files": [pdf()],
        },
    )
    matter = Matter.objects.get(title="Ny skolestruktur")
    assert response.status_code == 302 and response.url == matter.get_absolute_url()
    page = client.get(matter.get_absolute_url()).content.decode()
    assert "<em>forslag</em>" in page and "<script>alert" not in page
    assert client.get(matter.files.get().get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["vice_chair", "member", "leader", "trio", "other_leader", "outsider"])
def test_others_are_refused_the_registration_page(client_for, cast, who):
    client = client_for(getattr(cast, who))
    assert client.get(reverse("meetings:matter-create")).status_code == 403
    assert client.post(reverse("meetings:matter-create"), {}).status_code == 403


def test_a_short_period_without_a_reason_is_refused_and_keeps_what_was_typed(client_for, cast, heard):
    response = client_for(cast.administrator).post(
        reverse("meetings:matter-create"),
        {
            "committee": cast.committee.pk,
            "meeting_date": heard.meeting_date.pk,
            "title": "Hastesag om åbningstider",
            "case_number": "1",
            "summary": "Kort",
            "workplaces": [cast.workplace.pk],
            "deadline": add_working_days(heard.today, 2).isoformat(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Hastesag om åbningstider" in page
    assert not Matter.objects.exists()


@pytest.mark.parametrize("who", ["other_member", "other_leader", "outsider"])
def test_files_are_refused_to_those_who_do_not_see_the_matter(client_for, cast, register, who):
    attached = register(files=[pdf()]).files.get()
    assert client_for(getattr(cast, who)).get(attached.get_absolute_url()).status_code == 404


def test_the_leader_drafts_and_sends_through_the_pages_and_the_trio_comments(client_for, cast, hearing):
    leader = client_for(cast.leader)
    leader.post(reverse("meetings:hearing-draft", args=[hearing.pk]), {"text": "Vores svar"})
    client_for(cast.trio).post(reverse("meetings:hearing-comment", args=[hearing.pk]), {"body": "Enig"})
    leader = client_for(cast.leader)
    assert "Vores svar" in leader.get(reverse("meetings:hearing-submit", args=[hearing.pk])).content.decode()
    leader.post(reverse("meetings:hearing-submit", args=[hearing.pk]))
    assert hearing.responses.get().text == "Vores svar"
    assert hearing.comments.get().body == "Enig"


@pytest.mark.parametrize("who", ["trio", "member", "chair", "administrator"])
def test_others_cannot_send_the_response_through_the_page(client_for, cast, hearing, who):
    client_for(getattr(cast, who)).post(reverse("meetings:hearing-no-comments", args=[hearing.pk]))
    assert not hearing.responses.exists()


@pytest.mark.parametrize("who", ["other_leader", "outsider", "other_member"])
def test_outsiders_get_404_on_every_hearing_action(client_for, cast, hearing, who):
    client = client_for(getattr(cast, who))
    for name in ("hearing-detail", "hearing-submit", "hearing-no-comments"):
        assert client.get(reverse(f"meetings:{name}", args=[hearing.pk])).status_code == 404
    for name in ("hearing-draft", "hearing-comment", "hearing-no-comments"):
        assert (
            client.post(reverse(f"meetings:{name}", args=[hearing.pk]), {"text": "x", "body": "x"}).status_code == 404
        )


def test_the_list_shows_each_person_their_matters(client_for, cast, matter):
    assert matter.title in client_for(cast.member).get(reverse("meetings:matter-list")).content.decode()
    assert matter.title not in client_for(cast.other_member).get(reverse("meetings:matter-list")).content.decode()


def test_the_list_runs_the_same_number_of_queries_however_many_matters(
    client_for, cast, register, django_assert_num_queries
):
    client = client_for(cast.administrator)
    register()
    client.get(reverse("meetings:matter-list"))  # the session and the codex banner settle
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("meetings:matter-list"))
    for n in range(4):
        register(title=f"Sag {n}")
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("meetings:matter-list"))
