"""The portal speaks Danish to everyone until they choose English; the choice is remembered on the person and their
e-mails follow it (docs/danish.md)."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from core.mail import send_templated_mail
from meetings import services
from tests import factories

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _switch(client, language: str, next_url: str = "/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_a_browser_set_to_english_still_gets_danish(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.headers["Content-Language"] == "da"
    assert '<html lang="da">' in response.content.decode()


def test_an_anonymous_visitor_can_choose_english_and_keeps_it(client):
    response = _switch(client, "en", reverse("account_login"))
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert response.cookies[COOKIE].value == "en"
    page = client.get(reverse("account_login"))
    assert page.headers["Content-Language"] == "en"
    assert _switch(client, "da").cookies[COOKIE].value == "da"
    assert client.get(reverse("account_login")).headers["Content-Language"] == "da"


def test_an_unknown_language_is_ignored(client):
    _switch(client, "de")
    assert client.get(reverse("account_login")).headers["Content-Language"] == "da"


def test_the_language_switch_is_a_post_with_csrf(client):
    assert client.get(reverse("set_language") + "?language=en").status_code == 405
    strict = type(client)(enforce_csrf_checks=True)
    assert strict.post(reverse("set_language"), {"language": "en"}).status_code == 403


@pytest.mark.parametrize("role", ["administrator", "chair", "leader", "trio", "outsider"])
def test_a_signed_in_person_s_choice_is_saved_on_them(client_for, cast, role):
    person = getattr(cast, role)
    client = client_for(person)
    _switch(client, "en")
    person.refresh_from_db()
    assert person.language == "en"
    assert client.get(reverse("meetings:calendar-detail")).headers["Content-Language"] == "en"


def test_the_saved_choice_is_applied_at_login_on_another_browser(client, cast):
    cast.chair.language = "en"
    cast.chair.save()
    response = client.post(reverse("account_login"), {"login": cast.chair.email, "password": factories.TEST_PASSWORD})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "en"  # remembered in this browser, after logging out too
    assert client.get(reverse("meetings:calendar-detail")).headers["Content-Language"] == "en"
    client.post(reverse("account_logout"))
    assert client.get(reverse("account_login")).headers["Content-Language"] == "en"


def test_the_person_s_choice_wins_over_the_browser_s_cookie(client, cast):
    client.cookies[COOKIE] = "en"
    client.force_login(cast.member)  # has chosen nothing: Danish is no choice to override
    assert client.get(reverse("meetings:calendar-detail")).headers["Content-Language"] == "en"
    cast.member.language = "da"
    cast.member.save()
    response = client.get(reverse("meetings:calendar-detail"))
    assert response.headers["Content-Language"] == "da"
    assert response.cookies[COOKIE].value == "da"


def test_the_service_refuses_a_language_the_portal_does_not_speak(cast):
    with pytest.raises(ValueError):
        services.person_language_set(person=cast.chair, language="de")
    cast.chair.refresh_from_db()
    assert cast.chair.language == ""


def test_e_mails_go_out_in_the_recipient_s_language(cast, settings):
    cast.leader.language = "en"
    cast.leader.save()
    for person in (cast.leader, cast.chair):
        send_templated_mail("account/email/portal_unknown_account", to=[person.email], context={"email": person.email})
    english, danish = mail.outbox
    assert english.subject.startswith("No account in Dialogportalen has this e-mail address")
    assert danish.subject.startswith("Ingen konto i Dialogportalen har denne e-mailadresse")
    assert "Venlig hilsen" in danish.body and "Kind regards" in english.body


def test_an_invitation_follows_the_invited_person_s_language(cast):
    cast.trio.language = "en"
    cast.trio.save()
    services.invitation_send(user=cast.trio)
    services.invitation_send(user=cast.leader)
    english, danish = mail.outbox
    assert english.to == [cast.trio.email] and "Choose your password" in english.body
    assert danish.to == [cast.leader.email] and "Vælg din adgangskode" in danish.body


def test_a_meeting_reminder_is_written_in_each_recipient_s_language(cast, rotation):
    from meetings.models import Meeting
    from meetings.rotation import notifications
    from meetings.rotation import services as rotation_services

    plan = rotation_services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    rotation_services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    mail.outbox.clear()
    cast.member.language = "en"
    cast.member.save()
    meeting = Meeting.objects.filter(plan=plan).order_by("starts_at").first()
    notifications.meeting_reminder_send(meeting_id=meeting.pk, days_before=7)
    by_person = {message.to[0]: message for message in mail.outbox}
    assert by_person[cast.member.email].subject.startswith("In 7 days:")
    assert by_person[cast.chair.email].subject.startswith("Om 7 dage:")
    assert " kl. 16.00–19.00 " in by_person[cast.chair.email].body


def test_the_secretariat_can_set_the_language_a_person_reads_before_they_log_in(client_for, cast):
    client = client_for(cast.administrator)
    url = reverse("admin:meetings_user_change", args=[cast.trio.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    form = client.get(url).context["adminform"].form
    assert [str(label) for _code, label in form.fields["language"].choices] == ["---------", "Dansk", "Engelsk"]


def test_a_shared_cache_keeps_the_languages_apart(client):
    response = client.get(reverse("account_login"))
    assert "Cookie" in response.headers["Vary"]
