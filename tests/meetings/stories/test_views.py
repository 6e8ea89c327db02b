"""The stories' pages as each role sees them, the committee's feed (filters, pages, a fixed number of queries),
the public list and its Atom feed, hostile input refused on the form, and "I would like to see this" ending in the
visit booking form with the story as the purpose."""

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Story
from meetings.stories import services
from tests import factories

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def write(cast, author=None, **extra):
    fields = {"kind": "good", "title": "Vi læser højt", "text": "Hver morgen læser vi højt for de små."}
    return services.story_create(workplace=cast.workplace, author=author or cast.leader, **{**fields, **extra})


SEES_SHARED = {"leader", "trio", "chair", "member", "administrator"}
SEES_AWAITING = {"leader", "trio", "administrator"}
ROLES = ["leader", "trio", "other_leader", "chair", "member", "other_member", "administrator", "outsider"]


@pytest.mark.parametrize("who", ROLES)
def test_a_shared_story_is_seen_by_its_workplace_its_committee_and_the_secretariat(cast, client_for, who):
    story = write(cast)
    answer = client_for(getattr(cast, who)).get(story.get_absolute_url())
    assert answer.status_code == (200 if who in SEES_SHARED else 404)


@pytest.mark.parametrize("who", ROLES)
def test_a_waiting_story_is_seen_only_by_its_workplace_and_the_secretariat(cast, client_for, who):
    story = write(cast, cast.trio)
    answer = client_for(getattr(cast, who)).get(story.get_absolute_url())
    assert answer.status_code == (200 if who in SEES_AWAITING else 404)


def test_anonymous_visitors_are_sent_to_log_in(cast, client):
    story = write(cast)
    assert "login" in client.get(story.get_absolute_url())["Location"]


def test_the_author_sees_why_the_story_was_hidden_and_the_committee_no_longer_sees_it(cast, client_for):
    story = write(cast, cast.trio)
    services.story_share(story=story, actor=cast.leader)
    services.story_hide(story=story, actor=cast.administrator, reason="Et barns navn står i teksten.")
    page = client_for(cast.trio).get(story.get_absolute_url()).content.decode()
    assert "Et barns navn står i teksten." in page
    assert client_for(cast.member).get(story.get_absolute_url()).status_code == 404


def test_the_trio_writes_a_story_with_a_photo_on_the_form(cast, client_for):
    answer = client_for(cast.trio).post(
        reverse("stories:story-create", args=[cast.workplace.slug]),
        {
            "kind": "challenge",
            "title": "For lidt plads",
            "text": "Garderoben er for lille.",
            "photo": jpeg_with_gps(),
            "photo_alt": "En fyldt garderobe",
            "photo_consent": "on",
        },
    )
    story = Story.objects.get()
    assert answer.status_code == 302 and answer["Location"] == story.get_absolute_url()
    assert story.status == Story.Status.AWAITING and story.photo


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": "<script>alert(1)</script>"}, "title"),
        ({"photo": SimpleUploadedFile("x.jpg", b"GIF89a not really", content_type="image/jpeg")}, "photo"),
        ({"photo_consent": ""}, "photo_consent"),
    ],
)
def test_hostile_or_incomplete_input_is_refused_on_the_form_and_nothing_stored(cast, client_for, change, field):
    data = {
        "kind": "good",
        "title": "Titel",
        "text": "Teksten jeg skrev",
        "photo": jpeg_with_gps(),
        "photo_alt": "Et billede",
        "photo_consent": "on",
        **change,
    }
    answer = client_for(cast.leader).post(reverse("stories:story-create", args=[cast.workplace.slug]), data)
    assert answer.status_code == 200
    assert answer.context["form"].errors.get(field)
    assert "Teksten jeg skrev" in answer.content.decode()
    assert not Story.objects.exists()


@pytest.mark.parametrize("who", ["other_leader", "chair", "member", "administrator", "outsider"])
def test_only_the_workplaces_leader_and_trio_get_the_writing_form(cast, client_for, who):
    answer = client_for(getattr(cast, who)).get(reverse("stories:story-create", args=[cast.workplace.slug]))
    assert answer.status_code == 404


def test_the_photo_is_served_to_those_who_see_the_story_and_to_everyone_once_public(cast, client_for, client):
    story = write(cast, photo=jpeg_with_gps(), photo_alt="Børn", photo_consent=True)
    url = reverse("stories:story-photo", args=[story.pk])
    assert client_for(cast.member).get(url)["Content-Type"] == "image/jpeg"
    assert client_for(cast.other_member).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    services.story_public_set(story=story, actor=cast.leader, public=True)
    assert client.get(url).status_code == 200


def test_i_would_like_to_see_this_leads_to_booking_with_the_story_as_purpose(cast, client_for):
    story = write(cast)
    client = client_for(cast.member)
    page = client.get(story.get_absolute_url())
    link = page.context["see_url"]
    assert link.startswith(reverse("meetings:visit-slot-list", args=[cast.workplace.slug]))
    purpose = parse_qs(urlparse(link).query)["purpose"][0]
    assert story.title in purpose
    slot = factories.VisitSlotFactory(offer__workplace=cast.workplace)
    slots = client.get(link)
    assert slots.status_code == 200 and slots.context["purpose"] == purpose
    form = client.get(reverse("meetings:visit-create", args=[slot.pk]), {"purpose": purpose})
    assert form.context["form"]["purpose"].value() == purpose


def test_the_workplaces_people_get_no_see_this_button(cast, client_for):
    story = write(cast)
    assert client_for(cast.leader).get(story.get_absolute_url()).context["see_url"] == ""


@pytest.mark.parametrize(
    "who, status", [("chair", 200), ("administrator", 200), ("other_member", 404), ("leader", 404)]
)
def test_the_committees_feed_is_for_its_politicians_and_the_secretariat(cast, client_for, who, status):
    url = reverse("stories:committee-feed", args=[cast.committee.slug])
    assert client_for(getattr(cast, who)).get(url).status_code == status


def test_the_feed_filters_by_kind_and_workplace_and_pages(cast, client_for):
    for number in range(12):
        write(cast, title=f"God historie {number}")
    write(cast, kind="challenge", title="En udfordring")
    client = client_for(cast.member)
    url = reverse("stories:committee-feed", args=[cast.committee.slug])
    first = client.get(url)
    assert len(first.context["page"]) == 10 and first.context["page"].paginator.num_pages == 2
    challenges = client.get(url, {"kind": "challenge"})
    assert [s.title for s in challenges.context["page"]] == ["En udfordring"]
    other = client.get(url, {"workplace": cast.other_workplace.pk})
    assert other.context["page"].paginator.count == 13  # a workplace not under the committee is no filter
    assert client.get(url, {"page": 2}).status_code == 200


def test_the_feed_costs_the_same_queries_for_3_and_30_stories(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.member)
    url = reverse("stories:committee-feed", args=[cast.committee.slug])
    for number in range(3):
        write(cast, title=f"Historie {number}")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for number in range(27):
        write(cast, title=f"Mere {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_public_list_and_the_atom_feed_hold_only_public_stories(cast, client):
    public = write(cast, title="Offentlig historie")
    services.story_public_set(story=public, actor=cast.leader, public=True)
    write(cast, title="Kun for udvalget")
    page = client.get(reverse("stories:public-list", args=[cast.committee.slug])).content.decode()
    assert "Offentlig historie" in page and "Kun for udvalget" not in page
    answer = client.get(reverse("stories:public-feed", args=[cast.committee.slug]))
    assert answer["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(answer.content)  # noqa: S314 - the portal's own feed, in a test
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert "Offentlig historie" in entries[0].find(f"{ATOM}title").text
    assert entries[0].find(f"{ATOM}link").attrib["href"].endswith(f"#historie-{public.pk}")
    assert dt.datetime.fromisoformat(entries[0].find(f"{ATOM}updated").text)


def test_the_workplace_page_shows_its_stories_and_the_write_link(cast, client_for):
    write(cast, title="Fra hverdagen")
    page = client_for(cast.trio).get(cast.workplace.get_absolute_url()).content.decode()
    assert "Fra hverdagen" in page and reverse("stories:story-create", args=[cast.workplace.slug]) in page


def test_the_politicians_dashboard_shows_new_stories_and_the_leader_those_waiting(cast, client_for):
    write(cast, title="Delt historie")
    write(cast, cast.trio, title="Venter på lederen")
    assert "Delt historie" in client_for(cast.member).get("/").content.decode()
    assert "Venter på lederen" in client_for(cast.leader).get("/").content.decode()


def test_the_leader_shares_on_the_confirmation_page(cast, client_for):
    story = write(cast, cast.trio)
    client = client_for(cast.leader)
    url = reverse("stories:story-share", args=[story.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.SHARED


def test_the_secretariat_must_give_a_reason_to_hide(cast, client_for):
    story = write(cast)
    client = client_for(cast.administrator)
    url = reverse("stories:story-hide", args=[story.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Personoplysninger"}).status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.HIDDEN


@pytest.mark.parametrize("who, shown", [("member", True), ("administrator", True), ("leader", False)])
def test_the_committee_page_links_its_politicians_to_the_stories(cast, client_for, who, shown):
    page = client_for(getattr(cast, who)).get(cast.committee.get_absolute_url()).content.decode()
    assert (reverse("stories:committee-feed", args=[cast.committee.slug]) in page) is shown
