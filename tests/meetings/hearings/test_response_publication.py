"""The leader's consent to show the workplace's response on the public plan once the matter is public (issue #16,
»Who sees what«): only the leader gives or withdraws it, it names the version, the frozen response is untouched."""

from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from meetings.hearings import services
from meetings.hearings.errors import HearingError

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
RESPONSE = "Vi bakker op <b>men</b> beder om tid."


@pytest.fixture
def answered(hearing, cast):
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text=RESPONSE)
    services.hearing_respond(hearing=hearing, actor=cast.leader)
    return hearing


def _decide(matter, cast, monkeypatch, *, public=True):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: matter.meeting_date.date)
    services.matter_decide(matter=matter, actor=cast.administrator, decision="Vedtaget.", is_public=public)
    monkeypatch.undo()


def _plan(client, cast, meeting):
    return client.get(reverse("meetings:public-plan", args=[cast.committee.slug, meeting.starts_at.year]))


def test_the_leader_agrees_and_the_agreement_names_the_latest_version_with_an_audit_entry(answered, cast):
    services.response_publication_set(hearing=answered, actor=cast.leader, public=True)
    answered.refresh_from_db()
    assert answered.response_public_version == 1 and answered.response_public_by == cast.leader
    assert answered.response_public_at is not None
    entry = AuditEntry.objects.get(action="hearing.response_public_agreed")
    assert entry.data == {"workplace": cast.workplace.pk, "version": 1}


def test_the_leader_withdraws_the_agreement_with_an_audit_entry(answered, cast):
    services.response_publication_set(hearing=answered, actor=cast.leader, public=True)
    services.response_publication_set(hearing=answered, actor=cast.leader, public=False)
    answered.refresh_from_db()
    assert answered.response_public_version is None and answered.response_public_by is None
    assert AuditEntry.objects.filter(action="hearing.response_public_withdrawn").exists()


def test_agreeing_leaves_the_frozen_response_as_it_was_sent(answered, cast):
    before = answered.responses.get()
    services.response_publication_set(hearing=answered, actor=cast.leader, public=True)
    after = answered.responses.get()
    assert (after.text, after.fingerprint, after.submitted_at) == (before.text, before.fingerprint, before.submitted_at)
    assert services.response_verify(after)


def test_there_is_nothing_to_agree_to_before_a_response_or_for_no_comments(hearing, cast, heard, matter):
    with pytest.raises(HearingError, match="Send høringssvaret først"):
        services.response_publication_set(hearing=hearing, actor=cast.leader, public=True)
    second = matter.hearings.get(workplace=heard.second_workplace)
    services.hearing_respond(hearing=second, actor=heard.second_leader, no_comments=True)
    with pytest.raises(HearingError):
        services.response_publication_set(hearing=second, actor=heard.second_leader, public=True)


@pytest.mark.parametrize("who", ["trio", "chair", "member", "administrator", "other_leader", "outsider"])
def test_only_the_leader_agrees_or_withdraws(answered, cast, who):
    for public in (True, False):
        with pytest.raises(HearingError, match="Kun arbejdspladsens leder"):
            services.response_publication_set(hearing=answered, actor=getattr(cast, who), public=public)
    answered.refresh_from_db()
    assert answered.response_public_version is None


def test_the_leader_of_another_workplace_heard_cannot_agree_for_this_one(answered, heard):
    with pytest.raises(HearingError):
        services.response_publication_set(hearing=answered, actor=heard.second_leader, public=True)


def test_the_leader_confirms_on_a_page_and_agrees_by_post(answered, cast, client_for):
    leader = client_for(cast.leader)
    url = reverse("meetings:hearing-publication-agree", args=[answered.pk])
    assert 'id="publication-agree-link"' in leader.get(answered.get_absolute_url()).content.decode()
    confirm = leader.get(url)
    assert confirm.status_code == 200 and "csrfmiddlewaretoken" in confirm.content.decode()
    answered.refresh_from_db()
    assert answered.response_public_version is None  # a GET changes nothing
    assert leader.post(url).status_code == 302
    answered.refresh_from_db()
    assert answered.response_public_version == 1
    assert 'id="publication-withdraw-link"' in leader.get(answered.get_absolute_url()).content.decode()
    leader.post(reverse("meetings:hearing-publication-withdraw", args=[answered.pk]))
    answered.refresh_from_db()
    assert answered.response_public_version is None


def test_the_pages_refuse_everyone_but_the_leader(answered, cast, client_for, client, heard):
    names = ("hearing-publication-agree", "hearing-publication-withdraw")
    for who, status in (("trio", 403), ("member", 403), ("chair", 403), ("administrator", 403)):
        browser = client_for(getattr(cast, who))
        assert 'id="publication-agree-link"' not in browser.get(answered.get_absolute_url()).content.decode()
        for name in names:
            assert browser.get(reverse(f"meetings:{name}", args=[answered.pk])).status_code == status
            assert browser.post(reverse(f"meetings:{name}", args=[answered.pk])).status_code == status
    for person in (cast.other_leader, heard.second_leader, cast.outsider):
        browser = client_for(person)
        for name in names:
            assert browser.post(reverse(f"meetings:{name}", args=[answered.pk])).status_code == 404
    client.logout()
    for name in names:
        response = client.post(reverse(f"meetings:{name}", args=[answered.pk]))
        assert response.status_code == 302 and "login" in response.url
    answered.refresh_from_db()
    assert answered.response_public_version is None


def test_the_agreement_needs_the_csrf_token(answered, cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.leader)
    assert strict.post(reverse("meetings:hearing-publication-agree", args=[answered.pk])).status_code == 403
    answered.refresh_from_db()
    assert answered.response_public_version is None


def test_the_public_plan_shows_an_agreed_response_escaped_once_the_matter_is_public(
    answered, cast, client, meeting, monkeypatch
):
    services.response_publication_set(hearing=answered, actor=cast.leader, public=True)
    assert "beder om tid" not in _plan(client, cast, meeting).content.decode()  # not public yet
    _decide(answered.matter, cast, monkeypatch)
    page = _plan(client, cast, meeting).content.decode()
    assert "Vi bakker op &lt;b&gt;men&lt;/b&gt; beder om tid." in page and "<b>men</b>" not in page
    assert "sagsfremstilling" not in page


def test_the_public_plan_shows_no_response_without_the_agreement_or_on_a_matter_not_public(
    answered, cast, client, meeting, monkeypatch, register
):
    _decide(answered.matter, cast, monkeypatch)
    assert "beder om tid" not in _plan(client, cast, meeting).content.decode()
    private = register(title="Intern sag")
    hearing = private.hearings.get(workplace=cast.workplace)
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="Hemmeligt svar")
    services.hearing_respond(hearing=hearing, actor=cast.leader)
    services.response_publication_set(hearing=hearing, actor=cast.leader, public=True)
    _decide(private, cast, monkeypatch, public=False)
    assert "Hemmeligt svar" not in _plan(client, cast, meeting).content.decode()


def test_a_withdrawn_agreement_takes_the_response_off_the_public_plan(answered, cast, client, meeting, monkeypatch):
    services.response_publication_set(hearing=answered, actor=cast.leader, public=True)
    _decide(answered.matter, cast, monkeypatch)
    services.response_publication_set(hearing=answered, actor=cast.leader, public=False)
    assert "beder om tid" not in _plan(client, cast, meeting).content.decode()


def test_a_corrected_version_is_not_shown_until_the_leader_agrees_again(answered, cast, client, meeting, monkeypatch):
    services.response_publication_set(hearing=answered, actor=cast.leader, public=True)
    services.hearing_draft_save(hearing=answered, actor=cast.leader, text="Rettet svar")
    services.hearing_respond(hearing=answered, actor=cast.leader)
    _decide(answered.matter, cast, monkeypatch)
    page = _plan(client, cast, meeting).content.decode()
    assert "Rettet svar" not in page and "beder om tid" not in page
    services.response_publication_set(hearing=answered, actor=cast.leader, public=True)
    assert "Rettet svar" in _plan(client, cast, meeting).content.decode()


def test_the_public_plan_runs_as_many_queries_with_more_agreed_responses(
    register, cast, client, meeting, monkeypatch, django_assert_num_queries
):
    def public_matter(title):
        matter = register(title=title)
        hearing = matter.hearings.get(workplace=cast.workplace)
        services.hearing_draft_save(hearing=hearing, actor=cast.leader, text=f"Svar om {title}")
        services.hearing_respond(hearing=hearing, actor=cast.leader)
        services.response_publication_set(hearing=hearing, actor=cast.leader, public=True)
        _decide(matter, cast, monkeypatch)

    public_matter("Sag A")
    cache.clear()  # the page and its panels are kept (issue 19): both counts are of the page built anew
    with CaptureQueriesContext(connection) as few:
        _plan(client, cast, meeting)
    for n in range(3):
        public_matter(f"Sag {n}")
    cache.clear()
    with django_assert_num_queries(len(few)):
        page = _plan(client, cast, meeting).content.decode()
    assert "Svar om Sag 2" in page
