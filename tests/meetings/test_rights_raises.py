"""No one climbs roles: people cannot change their login address, and an import that would give an existing account
more rights names each raise and needs the secretariat's explicit confirmation (page and command)."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from core.models import AuditEntry
from meetings.imports import RightsRaiseNotConfirmed, organisation_import, raises_fingerprint
from meetings.models import CommitteeMembership, User, WorkplaceRole
from tests import factories

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = "email,full_name,role,committee,committee_role,workplace"
IMPORT_URL = reverse("meetings:organisation-import")
NEW_ADMIN = "ny.sekretaer@dalby.example"


def people_csv(*rows: str) -> tuple[str, bytes]:
    return "people.csv", ("\n".join([PEOPLE_HEADER, *rows]) + "\n").encode()


def first_message(response) -> str:
    return next(str(m) for m in response.context["messages"])


def upload(*rows: str) -> SimpleUploadedFile:
    name, data = people_csv(*rows)
    return SimpleUploadedFile(name, data, "text/csv")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- The attack, end to end ------------------------------------------------------------------------------------


def test_a_leader_cannot_change_their_login_address_on_the_email_page(client_for, cast):
    client = client_for(cast.leader)

    client.cookies["dialog_language"] = "en"  # the person chose English
    page = client.get(reverse("account_email"))
    added = client.post(reverse("account_email"), {"action_add": "", "email": NEW_ADMIN})
    primary = client.post(reverse("account_email"), {"action_primary": "", "email": NEW_ADMIN})

    assert page.status_code == 200
    assert cast.leader.email in page.content.decode()
    assert "Only the secretariat can change it" in page.content.decode()
    assert 'name="email"' not in page.content.decode()
    assert (added.status_code, primary.status_code) == (405, 405)
    cast.leader.refresh_from_db()
    assert cast.leader.email == "leader@dalby.example"
    assert not EmailAddress.objects.filter(email__iexact=NEW_ADMIN).exists()


def test_an_import_naming_an_address_as_administrator_does_not_make_the_leader_staff(client_for, cast):
    client = client_for(cast.leader)
    client.post(reverse("account_email"), {"action_add": "", "email": NEW_ADMIN})
    client.post(reverse("account_email"), {"action_primary": "", "email": NEW_ADMIN})

    organisation_import(people=people_csv(f"{NEW_ADMIN},Ny Sekretær,administrator,,,"), actor=cast.administrator)

    cast.leader.refresh_from_db()
    assert not (cast.leader.is_staff or cast.leader.is_superuser)
    newcomer = User.objects.get(email=NEW_ADMIN)
    assert newcomer.pk != cast.leader.pk and newcomer.is_administrator


def test_the_page_shows_the_secretariats_address_when_it_is_set(client_for, cast, settings):
    settings.PORTAL_SECRETARIAT_EMAIL = "sekretariat@dalby.example"

    client_for(cast.trio).cookies["dialog_language"] = "en"  # the person chose English
    html = client_for(cast.trio).get(reverse("account_email")).content.decode()

    assert 'href="mailto:sekretariat@dalby.example"' in html


def test_a_politician_without_two_factor_reaches_the_email_page_and_the_setup(client_for, cast, settings):
    settings.DIALOG_REQUIRE_MFA = True
    client = client_for(cast.chair)
    # An address row from before (unverified) must not block the two-factor setup that the portal insists on.
    EmailAddress.objects.create(user=cast.chair, email=cast.chair.email, primary=True, verified=False)

    assert client.get(reverse("meetings:committee-list")).url == reverse("mfa_activate_totp")
    assert client.get(reverse("account_email")).status_code == 200
    assert client.get(reverse("account_change_password")).status_code == 200
    setup = client.get(reverse("mfa_activate_totp"), follow=True)

    assert setup.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    reauth = client.post(setup.redirect_chain[-1][0], {"password": factories.TEST_PASSWORD}, follow=True)
    assert reauth.status_code == 200
    assert reauth.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert reauth.context["form"].secret  # the QR code and the secret to type into the app


def _admin_form_data(response) -> dict:
    """The values of the admin's change page as a browser would post them back (inlines included)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        data[management.add_prefix("TOTAL_FORMS")] = formset.initial_form_count()
        forms += formset.initial_forms
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or getattr(field, "disabled", False):
                continue
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


def test_the_secretariat_changes_an_address_in_the_admin_and_the_old_one_stops_working(client_for, cast):
    EmailAddress.objects.create(user=cast.leader, email=cast.leader.email, primary=True, verified=False)
    before = AuditEntry.objects.count()
    admin = client_for(cast.administrator)
    change = reverse("admin:meetings_user_change", args=[cast.leader.pk])
    data = _admin_form_data(admin.get(change))

    response = admin.post(change, {**data, "email": "leder.ny@dalby.example"})

    assert response.status_code == 302
    cast.leader.refresh_from_db()
    assert cast.leader.email == "leder.ny@dalby.example"
    assert not EmailAddress.objects.filter(email__iexact="leader@dalby.example").exists()
    entry = AuditEntry.objects.filter(seq__gt=before, action="account.email_changed").get()
    assert (entry.actor_id, entry.object_id) == (cast.administrator.pk, str(cast.leader.pk))


# --- What counts as a raise -------------------------------------------------------------------------------------


def test_an_import_that_would_raise_rights_names_each_raise_and_imports_nothing(cast):
    people = people_csv(
        f"{cast.leader.email},{cast.leader.full_name},administrator,,,",
        f"{cast.member.email},{cast.member.full_name},politician,{cast.other_committee.slug},chair,",
        f"{cast.trio.email},{cast.trio.full_name},politician,{cast.other_committee.slug},member,",
        f"{cast.outsider.email},{cast.outsider.full_name},leader,,,{cast.other_workplace.slug}",
        "helt.ny@dalby.example,Helt Ny,administrator,,,",
    )

    with pytest.raises(RightsRaiseNotConfirmed) as refused:
        organisation_import(people=people, actor=cast.administrator)

    described = sorted((r.email, r.describe(), r.line) for r in refused.value.raises)
    assert described == [
        (cast.leader.email, "administrator (staff and superuser: every page and the administration)", 2),
        (cast.member.email, f"chair of {cast.other_committee.name}", 3),
        (cast.outsider.email, f"leader of {cast.other_workplace.name}", 5),
        (cast.trio.email, f"member of {cast.other_committee.name}", 4),
    ]
    assert [p.line for p in refused.value.problems] == [2, 3, 4, 5]
    assert "4 existing people more rights; nothing was imported" in str(refused.value)
    assert refused.value.preview["people"].created == 1
    cast.leader.refresh_from_db()
    assert not cast.leader.is_staff
    assert not User.objects.filter(email="helt.ny@dalby.example").exists()
    assert not cast.member.memberships.filter(committee=cast.other_committee).exists()


def test_rows_that_keep_or_lower_rights_and_new_people_need_no_confirmation(cast):
    people = people_csv(
        f"{cast.administrator.email},{cast.administrator.full_name},administrator,,,",
        f"{cast.chair.email},{cast.chair.full_name},politician,{cast.committee.slug},member,",
        f"{cast.leader.email},Nyt Navn,leader,,,{cast.workplace.slug}",
        f"ny.leder@dalby.example,Ny Leder,leader,,,{cast.workplace.slug}",
    )

    result = organisation_import(people=people)

    assert result.raises == []
    assert cast.committee.memberships.get(user=cast.chair).role == "member"
    assert User.objects.get(email="ny.leder@dalby.example").roles.is_leader


def test_a_confirmed_import_applies_every_raise_and_audits_who_confirmed_it(cast):
    people = people_csv(
        f"{cast.leader.email},{cast.leader.full_name},administrator,,,",
        f"{cast.vice_chair.email},{cast.vice_chair.full_name},politician,{cast.committee.slug},chair,",
        f"{cast.chair.email},{cast.chair.full_name},politician,{cast.committee.slug},member,",
    )

    result = organisation_import(people=people, actor=cast.administrator, confirm_raises=True)

    cast.leader.refresh_from_db()
    assert cast.leader.is_staff and cast.leader.is_superuser
    assert cast.committee.memberships.get(user=cast.vice_chair).role == CommitteeMembership.Role.CHAIR
    assert len(result.raises) == 2
    entries = AuditEntry.objects.filter(action="permission.raised_by_import").order_by("seq")
    assert [(e.object_id, e.data["right"], e.data["confirmed_by"]) for e in entries] == [
        (str(cast.leader.pk), "administrator", cast.administrator.pk),
        (str(cast.vice_chair.pk), "committee", cast.administrator.pk),
    ]


def test_a_confirmation_of_another_list_confirms_nothing(cast):
    wanted = people_csv(f"{cast.leader.email},{cast.leader.full_name},leader,,,{cast.other_workplace.slug}")
    shown = organisation_import(people=wanted, dry_run=True).raises
    sneaked = people_csv(f"{cast.leader.email},{cast.leader.full_name},administrator,,,")

    with pytest.raises(RightsRaiseNotConfirmed):
        organisation_import(people=sneaked, confirm_raises=True, confirmed_fingerprint=raises_fingerprint(shown))

    cast.leader.refresh_from_db()
    assert not cast.leader.is_staff


def test_a_dry_run_lists_the_raises_and_writes_nothing(cast):
    people = people_csv(
        f"{cast.trio.email},{cast.trio.full_name},leader,,,{cast.workplace.slug}",
        "helt.ny@dalby.example,Helt Ny,trio,,,solsikken",
    )
    audit_before = AuditEntry.objects.count()

    result = organisation_import(people=people, dry_run=True)

    assert [(r.email, r.right, r.role) for r in result.raises] == [(cast.trio.email, "workplace", "leader")]
    assert result["people"].created == 1
    assert not User.objects.filter(email="helt.ny@dalby.example").exists()
    assert not WorkplaceRole.objects.filter(user=cast.trio, role="leader").exists()
    assert AuditEntry.objects.count() == audit_before


# --- The page: check, tick, import ------------------------------------------------------------------------------


def test_the_page_lists_the_raises_and_imports_only_after_the_tick(client_for, cast):
    client = client_for(cast.administrator)
    row = f"{cast.leader.email},{cast.leader.full_name},administrator,,,"

    client.cookies["dialog_language"] = "en"  # the person chose English
    shown = client.post(IMPORT_URL, {"people": upload(row)})

    assert shown.status_code == 200
    html = shown.content.decode()
    assert "Check the raises of rights" in html
    assert cast.leader.email in html and "administrator (staff and superuser" in html
    confirm = shown.context["confirm_form"]
    fields = {"stash": confirm.initial["stash"], "fingerprint": confirm.initial["fingerprint"]}
    cast.leader.refresh_from_db()
    assert not cast.leader.is_staff

    client.cookies["dialog_language"] = "en"  # the person chose English
    unticked = client.post(IMPORT_URL, fields)
    assert unticked.status_code == 200
    assert "Tick the box to confirm the raises" in unticked.content.decode()
    cast.leader.refresh_from_db()
    assert not cast.leader.is_staff

    client.cookies["dialog_language"] = "en"  # the person chose English
    done = client.post(IMPORT_URL, {**fields, "confirm_raises": "on"}, follow=True)
    assert done.redirect_chain == [(IMPORT_URL, 302)]
    assert "Import finished." in first_message(done)
    cast.leader.refresh_from_db()
    assert cast.leader.is_staff and cast.leader.is_superuser
    entry = AuditEntry.objects.get(action="permission.raised_by_import")
    assert entry.data["confirmed_by"] == cast.administrator.pk

    client.cookies["dialog_language"] = "en"  # the person chose English
    again = client.post(IMPORT_URL, {**fields, "confirm_raises": "on"}, follow=True)
    assert "no longer kept" in first_message(again)


def test_another_administrator_cannot_confirm_the_kept_files(client_for, cast):
    first = client_for(cast.administrator)
    shown = first.post(IMPORT_URL, {"people": upload(f"{cast.trio.email},{cast.trio.full_name},administrator,,,")})
    fields = {k: shown.context["confirm_form"].initial[k] for k in ("stash", "fingerprint")}
    other = factories.AdministratorFactory(email="anden.admin@dalby.example")
    first.logout()

    client_for(other).post(IMPORT_URL, {**fields, "confirm_raises": "on"})

    cast.trio.refresh_from_db()
    assert not cast.trio.is_staff


def test_a_raise_that_changed_since_it_was_shown_must_be_checked_again(client_for, cast):
    client = client_for(cast.administrator)
    rows = (
        f"{cast.leader.email},{cast.leader.full_name},leader,,,{cast.other_workplace.slug}",
        "kommende@dalby.example,Kommende Person,administrator,,,",
    )
    shown = client.post(IMPORT_URL, {"people": upload(*rows)})
    assert [r.email for r in shown.context["refused"].raises] == [cast.leader.email]
    fields = {k: shown.context["confirm_form"].initial[k] for k in ("stash", "fingerprint")}
    # Meanwhile an account with the second address appeared: the row would now raise its rights too.
    late = factories.UserFactory(email="kommende@dalby.example", full_name="Kommende Person")

    client.cookies["dialog_language"] = "en"  # the person chose English
    response = client.post(IMPORT_URL, {**fields, "confirm_raises": "on"})

    assert response.status_code == 200
    assert "changed since you checked them" in first_message(response)
    assert {r.email for r in response.context["refused"].raises} == {cast.leader.email, late.email}
    late.refresh_from_db()
    assert not late.is_staff
    assert not cast.other_workplace.roles.filter(user=cast.leader).exists()


# --- The command ------------------------------------------------------------------------------------------------


def test_the_command_prints_each_raise_and_imports_nothing_without_confirm_raises(cast, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(people_csv(f"{cast.leader.email},{cast.leader.full_name},administrator,,,")[1])
    err = StringIO()

    with pytest.raises(CommandError, match="--confirm-raises"):
        call_command("import_organisation", "--people", str(path), stderr=err, stdout=StringIO())

    assert f"{cast.leader.email}), who already has an account, would become administrator" in err.getvalue()
    cast.leader.refresh_from_db()
    assert not cast.leader.is_staff


def test_the_command_applies_the_raises_with_confirm_raises(cast, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(people_csv(f"{cast.leader.email},{cast.leader.full_name},administrator,,,")[1])
    out = StringIO()

    call_command("import_organisation", "--people", str(path), "--confirm-raises", stdout=out)

    assert f"({cast.leader.email}) gained: administrator" in out.getvalue()
    cast.leader.refresh_from_db()
    assert cast.leader.is_staff
    assert AuditEntry.objects.get(action="permission.raised_by_import").data["confirmed_by"] == "command line"


def test_the_command_dry_run_lists_what_would_change(cast, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(people_csv(f"{cast.leader.email},{cast.leader.full_name},administrator,,,")[1])
    out = StringIO()

    call_command("import_organisation", "--people", str(path), "--dry-run", stdout=out)

    assert f"({cast.leader.email}) would gain: administrator" in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    cast.leader.refresh_from_db()
    assert not cast.leader.is_staff


def test_the_migration_keeps_only_the_login_address_and_counts_it_as_checked(cast):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("meetings.migrations.0009_encrypt_mfa_secrets_tidy_login_addresses")
    EmailAddress.objects.create(user=cast.leader, email="LEADER@dalby.example", primary=True, verified=False)
    EmailAddress.objects.create(user=cast.leader, email=NEW_ADMIN, primary=False, verified=False)

    migration.tidy_login_addresses(apps, None)

    assert list(EmailAddress.objects.values_list("email", "primary", "verified")) == [
        ("LEADER@dalby.example", True, True)
    ]
