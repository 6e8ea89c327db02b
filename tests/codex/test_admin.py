"""The published codex cannot be cut down or added to in the admin, by any of its paths; refusals are kind."""

import pytest
from django.contrib.messages import get_messages

from codex import services
from codex.models import CodexPrinciple, CodexSection, CodexValue, CodexVersion

from .conftest import held_meeting

SECTIONS = "/admin/codex/codexsection/"
VERSIONS = "/admin/codex/codexversion/"


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.administrator)
    return client


def _snapshot(version):
    """Everything a published version says, to compare before and after."""
    version = CodexVersion.objects.with_text().get(pk=version.pk)
    return version.text(), version.fingerprint


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _inline_management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


# --- The section admin ---------------------------------------------------------------------------------------------


def test_the_hidden_section_list_is_not_a_way_in(admin_client, version):
    response = admin_client.get(SECTIONS)
    assert response.status_code == 302
    assert response["Location"] == VERSIONS


def test_a_bulk_delete_in_the_section_list_leaves_the_published_sections_and_principles(admin_client, version):
    before = _snapshot(version)
    section_ids = list(version.sections.values_list("pk", flat=True))
    response = admin_client.post(
        SECTIONS, {"action": "delete_selected", "_selected_action": section_ids, "post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert _snapshot(version) == before
    assert CodexPrinciple.objects.filter(section__version=version).count() == 2


def test_deleting_one_published_section_is_refused_with_a_message_not_an_error(admin_client, version):
    section = version.sections.first()
    before = _snapshot(version)
    for method in (admin_client.get, admin_client.post):
        response = method(f"{SECTIONS}{section.pk}/delete/", {"post": "yes"} if method == admin_client.post else None)
        assert response.status_code == 302
        assert response["Location"] == f"{VERSIONS}{version.pk}/change/"
        assert any("offentliggjort" in m for m in _messages(response)), _messages(response)
    assert _snapshot(version) == before


def _refused_keeping(response, *typed: str) -> None:
    """A save refused with the reason on the page and what was typed shown back, never a redirect that drops it."""
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="codex-refused"' in page and "offentliggjort" in page
    for text in typed:
        assert text in page


def test_a_published_section_opens_read_only_and_a_change_post_is_refused(admin_client, version):
    section = version.sections.first()
    page = admin_client.get(f"{SECTIONS}{section.pk}/change/").content.decode()
    assert 'name="title"' not in page and 'name="_save"' not in page
    response = admin_client.post(
        f"{SECTIONS}{section.pk}/change/",
        {"version": version.pk, "order": 0, "title": "Skåret ned", **_inline_management("principles", 0, 0)},
    )
    _refused_keeping(response, "Skåret ned")
    assert CodexSection.objects.get(pk=section.pk).title == section.title


def test_adding_a_section_to_a_published_version_is_refused_and_keeps_what_was_typed(admin_client, version):
    before = _snapshot(version)
    response = admin_client.post(
        f"{SECTIONS}add/",
        {"version": version.pk, "order": 9, "title": "Et nyt afsnit", **_inline_management("principles", 0, 0)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Et nyt afsnit" in page
    assert "Vælg et udkast" in page
    assert _snapshot(version) == before


def test_a_draft_section_cannot_be_moved_into_a_published_version_and_the_edits_stay(admin_client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    section = draft.sections.first()
    response = admin_client.post(
        f"{SECTIONS}{section.pk}/change/",
        {"version": version.pk, "order": 0, "title": "Mit nye afsnit", **_inline_management("principles", 0, 0)},
    )
    assert response.status_code == 200
    assert "Mit nye afsnit" in response.content.decode()
    section.refresh_from_db()
    assert section.version == draft and section.title != "Mit nye afsnit"
    assert version.sections.count() == 2


def test_saving_a_draft_section_returns_to_its_version(admin_client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    section = draft.sections.first()
    principle = section.principles.get()
    data = {
        "version": draft.pk,
        "order": 0,
        "title": "Politikerne sætter rammerne og følger op",
        **_inline_management("principles", 1, 1),
        "principles-0-id": principle.pk,
        "principles-0-section": section.pk,
        "principles-0-order": 0,
        "principles-0-heading": principle.heading,
        "principles-0-text": "Ny tekst",
    }
    response = admin_client.post(f"{SECTIONS}{section.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == f"{VERSIONS}{draft.pk}/change/"
    assert CodexPrinciple.objects.get(pk=principle.pk).text == "Ny tekst"
    added = admin_client.post(
        f"{SECTIONS}add/", {"version": draft.pk, "order": 5, "title": "Nyt", **_inline_management("principles", 0, 0)}
    )
    assert added["Location"] == f"{VERSIONS}{draft.pk}/change/"


def test_the_section_form_offers_only_drafts(admin_client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    form = admin_client.get(f"{SECTIONS}add/").context["adminform"].form
    assert list(form.fields["version"].queryset) == [draft]


def test_a_drafts_section_is_still_edited_and_deleted_in_the_admin(admin_client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    section = draft.sections.first()
    page = admin_client.get(f"{SECTIONS}{section.pk}/change/").content.decode()
    assert 'name="_save"' in page
    response = admin_client.post(f"{SECTIONS}{section.pk}/delete/", {"post": "yes"})
    assert response["Location"] == f"{VERSIONS}{draft.pk}/change/"
    assert not CodexSection.objects.filter(pk=section.pk).exists()


# --- The version page and its inlines --------------------------------------------------------------------------------


def _version_post(version, **extra):
    data = {
        "title": version.title,
        "introduction": version.introduction,
        "roles_to_sign": version.roles_to_sign,
        **_inline_management("sections", 0, 0),
        **_inline_management("values", 0, 0),
    }
    data.update(extra)
    return data


def test_inline_add_on_a_published_version_is_refused(admin_client, version):
    before = _snapshot(version)
    data = _version_post(
        version,
        **_inline_management("sections", 1, 0),
        **{"sections-0-order": 5, "sections-0-title": "Tilføjet"},
        **_inline_management("values", 1, 0),
        **{"values-0-order": 5, "values-0-name": "Mod"},
    )
    response = admin_client.post(f"{VERSIONS}{version.pk}/change/", data)
    _refused_keeping(response, "Tilføjet", "Mod")
    assert _snapshot(version) == before


def test_inline_delete_on_a_published_version_is_refused(admin_client, version):
    before = _snapshot(version)
    section = version.sections.first()
    value = version.values.first()
    data = _version_post(
        version,
        **_inline_management("sections", 1, 1),
        **{"sections-0-id": section.pk, "sections-0-version": version.pk, "sections-0-DELETE": "on"},
        **_inline_management("values", 1, 1),
        **{"values-0-id": value.pk, "values-0-version": version.pk, "values-0-DELETE": "on"},
    )
    response = admin_client.post(f"{VERSIONS}{version.pk}/change/", data)
    _refused_keeping(response)
    assert _snapshot(version) == before


def test_a_published_version_page_offers_no_inline_add_or_delete(admin_client, version):
    page = admin_client.get(f"{VERSIONS}{version.pk}/change/").content.decode()
    assert "sections-0-DELETE" not in page and "values-0-DELETE" not in page
    assert "add-row" not in page


def test_a_draft_version_page_cannot_reach_a_published_section(admin_client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    published_section = version.sections.first()
    data = _version_post(
        draft,
        **_inline_management("sections", 1, 1),
        **{"sections-0-id": published_section.pk, "sections-0-version": draft.pk, "sections-0-DELETE": "on"},
    )
    admin_client.post(f"{VERSIONS}{draft.pk}/change/", data)
    assert CodexSection.objects.filter(pk=published_section.pk, version=version).exists()


def test_the_versions_list_offers_no_plain_bulk_delete(admin_client, version):
    actions = admin_client.get(VERSIONS).context["action_form"].fields["action"].choices
    assert "delete_selected" not in [name for name, _label in actions]


def test_a_bulk_delete_of_versions_keeps_the_published_one_and_says_so(admin_client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    response = admin_client.post(
        VERSIONS, {"action": "delete_drafts", "_selected_action": [version.pk, draft.pk], "post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert CodexVersion.objects.filter(pk=version.pk).exists()
    assert CodexVersion.objects.filter(pk=draft.pk).exists()  # refused as a whole: nothing deleted
    assert any("offentliggjort" in m for m in _messages(response)), _messages(response)


def test_a_draft_version_can_still_be_deleted_in_bulk(admin_client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    admin_client.post(VERSIONS, {"action": "delete_drafts", "_selected_action": [draft.pk], "post": "yes"})
    assert not CodexVersion.objects.filter(pk=draft.pk).exists()
    assert not CodexValue.objects.filter(version_id=draft.pk).exists()


def test_deleting_a_published_version_in_the_admin_is_refused_with_a_message(admin_client, version):
    response = admin_client.post(f"{VERSIONS}{version.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == f"{VERSIONS}{version.pk}/change/"
    assert any("offentliggjort" in m for m in _messages(response)), _messages(response)
    assert CodexVersion.objects.filter(pk=version.pk).exists()


def test_a_version_published_while_its_page_was_open_is_not_changed_by_the_stale_save(admin_client, cast, version):
    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    from .conftest import publish

    publish(cast.administrator, draft)
    before = _snapshot(draft)
    response = admin_client.post(f"{VERSIONS}{draft.pk}/change/", _version_post(draft, title="Gammel fane"))
    _refused_keeping(response, "Gammel fane")
    assert _snapshot(draft) == before


# --- Mirror questions ------------------------------------------------------------------------------------------------


def test_an_answered_mirror_statement_is_not_reworded_in_the_admin(admin_client, cast, version):

    from codex.models import MirrorQuestion

    question = MirrorQuestion.objects.create(version=version, text="Jeg kunne tale åbent om fejl", order=1)
    url = f"/admin/codex/mirrorquestion/{question.pk}/change/"
    assert 'name="text"' in admin_client.get(url).content.decode()
    meeting = held_meeting(cast)
    services.mirror_answers_record(person=cast.member, occasion_key=f"meeting:{meeting.pk}", scores={question.pk: 4})
    assert 'name="text"' not in admin_client.get(url).content.decode()
    admin_client.post(url, {"text": "Noget helt andet", "version": version.pk, "order": 1, "active": "on"})
    assert MirrorQuestion.objects.get(pk=question.pk).text == "Jeg kunne tale åbent om fejl"


def test_a_version_published_while_a_section_is_saved_ends_in_a_message_not_an_error(
    admin_client, cast, version, monkeypatch
):
    from codex.admin import CodexSectionAdmin

    from .conftest import publish

    draft = services.codex_version_revise(version=version, actor=cast.administrator)
    section = draft.sections.first()
    save_model = CodexSectionAdmin.save_model

    def published_meanwhile(self, request, obj, form, change):
        publish(cast.administrator, CodexVersion.objects.get(pk=draft.pk))  # another administrator, same moment
        save_model(self, request, obj, form, change)

    monkeypatch.setattr(CodexSectionAdmin, "save_model", published_meanwhile)
    response = admin_client.post(
        f"{SECTIONS}{section.pk}/change/",
        {"version": draft.pk, "order": 0, "title": "Sidste øjeblik", **_inline_management("principles", 0, 0)},
    )
    _refused_keeping(response, "Sidste øjeblik")
    assert CodexSection.objects.get(pk=section.pk).title == section.title
