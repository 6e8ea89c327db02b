"""Login, invitations, password reset, two-factor enforcement and the admin's login."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.admin.sites import site
from django.core import mail
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def test_person_logs_in_with_email_and_password(client, cast):
    response = client.post(reverse("account_login"), {"login": cast.chair.email, "password": factories.TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_password_is_refused_with_a_danish_message(client, cast):
    response = client.post(
        reverse("account_login"), {"login": cast.chair.email, "password": "forkert"}, HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 200
    assert "E-mailadressen eller adgangskoden er forkert." in response.content.decode()
    assert response.context["form"]["login"].value() == cast.chair.email


def test_there_is_no_open_sign_up(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "ny@dalby.example", "password1": "x-Lang-kode-91", "password2": "x-Lang-kode-91"},
    )
    assert not User.objects.filter(email="ny@dalby.example").exists()
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_login_form_requires_csrf(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": cast.chair.email, "password": factories.TEST_PASSWORD})
    assert response.status_code == 403


def test_failed_logins_are_rate_limited(client, cast, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/key"}
    for _ in range(3):
        client.post(reverse("account_login"), {"login": cast.chair.email, "password": "forkert"})
    response = client.post(reverse("account_login"), {"login": cast.chair.email, "password": factories.TEST_PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_invitation_email_links_to_setting_a_password_that_then_works(client, cast, django_capture_on_commit_callbacks):
    person = User.objects.create_user("ny.politiker@dalby.example", full_name="Ny Politiker")
    assert not person.has_usable_password()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.people_invite(people=[person], actor=cast.administrator) == 1
    person.refresh_from_db()
    assert person.invited_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert "Dialogportalen" in message.subject
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+/", message.body).group(0)
    path = link.split("localhost:8000", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(form_url, {"password1": "Solsikke-Udsigt-77", "password2": "Solsikke-Udsigt-77"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Solsikke-Udsigt-77")
    # The link is single-use: the password changed, so the token no longer validates.
    client.logout()
    again = client.get(path, follow=True)
    assert again.context["token_fail"] is True


def test_inactive_people_are_not_invited(cast):
    cast.outsider.is_active = False
    cast.outsider.save()
    assert services.people_invite(people=[cast.outsider]) == 0


def test_admin_invite_action_queues_invitations(client_for, cast, django_capture_on_commit_callbacks):
    client = client_for(cast.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:meetings_user_changelist"),
            {"action": "invite", "_selected_action": [cast.member.pk, cast.leader.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.member.email, cast.leader.email])


def test_password_reset_sends_a_link(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": cast.leader.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/konto/password/reset/key/" in mail.outbox[0].body


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:index"), follow=True)
    final_path = response.redirect_chain[-1][0]
    assert final_path.startswith(reverse("account_login"))
    assert site.login.__wrapped__ is not None


def test_non_staff_are_refused_from_the_admin(client_for, cast):
    assert client_for(cast.chair).get(reverse("admin:index")).status_code in (302, 403)
    assert client_for(cast.chair).get(reverse("admin:meetings_user_changelist")).status_code == 302
    assert client_for(cast.administrator).get(reverse("admin:meetings_user_changelist")).status_code == 200


@pytest.mark.parametrize(
    ("role", "must_enroll"),
    [
        ("administrator", True),
        ("chair", True),
        ("member", True),
        ("leader", False),
        ("trio", False),
        ("outsider", False),
    ],
)
def test_two_factor_is_required_for_politicians_and_administrators_when_set(
    client_for, cast, settings, role, must_enroll
):
    settings.DIALOG_REQUIRE_MFA = True
    response = client_for(getattr(cast, role)).get(reverse("meetings:committee-list"))
    if must_enroll:
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")
    else:
        assert response.status_code == 200


def test_two_factor_requirement_is_met_once_totp_is_active(client_for, cast, settings):
    settings.DIALOG_REQUIRE_MFA = True
    Authenticator.objects.create(user=cast.chair, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    assert client_for(cast.chair).get(reverse("meetings:committee-list")).status_code == 200


def test_two_factor_setup_page_is_reachable_while_enrolment_is_required(client_for, cast, settings):
    settings.DIALOG_REQUIRE_MFA = True
    response = client_for(cast.chair).get(reverse("mfa_activate_totp"), follow=True)
    # allauth asks for the password again before activating; that page must not loop back.
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_two_factor_is_available_to_everyone(client_for, cast):
    response = client_for(cast.trio).get(reverse("mfa_index"))
    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.content.decode()
