"""The stories' demo step for ``seed_demo``: for the first workplaces of each committee a handful of stories, good
and challenging, shared, public, waiting for the leader and hidden, with photos this step draws itself with Pillow
(shapes and colours: no real person's picture). Made through the real services; the demo tells nobody (its
notices are dropped before they leave). Run again, it adds nothing for a workplace that has its demo stories."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from core.models import OutboxMessage
from meetings.models import Committee, NoticeItem, Story, User, Workplace, WorkplaceRole
from meetings.stories import services

STORIES = [
    # (by, kind, title, text, photo colours or None, then: "public", "awaiting", "hidden" or "")
    (
        "leader",
        "good",
        "Morgensang samler hele huset",
        "Hver mandag begynder vi med morgensang i salen. Børn, forældre og personale synger sammen, og de nye "
        "familier siger, at det er her, de føler sig velkomne.",
        ((250, 200, 60), (40, 120, 200)),
        "public",
    ),
    (
        "leader",
        "challenge",
        "Vi mangler vikarer om eftermiddagen",
        "Når en kollega er syg, står vi ofte uden vikar efter kl. 14. Det går ud over de rolige aktiviteter, som "
        "børnene har brug for sidst på dagen. Vi prøver nu en fælles vikarliste med nabohuset.",
        None,
        "",
    ),
    (
        "trio",
        "good",
        "Nyt udekøkken bygget af forældre",
        "En lørdag i september byggede forældre og personale et udekøkken. Nu laver vi mad over bål to gange om "
        "ugen, og børnene er med fra kartoffel til tallerken.",
        ((60, 160, 90), (200, 90, 40)),
        "awaiting",
    ),
    (
        "trio",
        "challenge",
        "Støj i fællesrummet",
        "Fællesrummet er så larmende ved frokost, at flere kolleger går hjem med hovedpine. AMR har målt "
        "støjen, og vi har bedt om lyddæmpende plader.",
        None,
        "hidden",
    ),
]
HIDE_REASON = "Historien nævnte en kollegas helbred. Skriv den gerne igen uden den del."


def _picture(colours) -> SimpleUploadedFile:
    """A drawing of shapes: a sky, a sun and a house. Nothing in it is a person."""
    sky, accent = colours
    image = Image.new("RGB", (1200, 800), sky)
    draw = ImageDraw.Draw(image)
    draw.ellipse((880, 80, 1080, 280), fill=(255, 230, 120))
    draw.rectangle((300, 400, 800, 780), fill=accent)
    draw.polygon([(260, 400), (550, 180), (840, 400)], fill=(120, 60, 40))
    draw.rectangle((0, 780, 1200, 800), fill=(70, 140, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


def _person(workplace: Workplace, role: str) -> User | None:
    found = WorkplaceRole.objects.current().filter(workplace=workplace, role=role).select_related("user").first()
    return found.user if found else None


def seed_stories(*, stdout=None, demo=None, **kwargs) -> list[str]:
    admin = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if admin is None:
        return ["Stories: no administrator yet; run the organisation step first."]
    if stdout:
        stdout.write("Seeding stories …")
    titles = [title for _by, _kind, title, *_rest in STORIES]
    made = 0
    with transaction.atomic():
        first_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        first_item = NoticeItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for committee in Committee.objects.active().order_by("name"):
            for workplace in Workplace.objects.active().under(committee).order_by("name")[:2]:
                if Story.objects.filter(workplace=workplace, title__in=titles).exists():
                    continue
                made += _workplace_stories(workplace, admin)
        # The demo tells nobody: what the services queued for the digest or the outbox is dropped.
        NoticeItem.objects.filter(pk__gt=first_item, channel="stories").delete()
        OutboxMessage.objects.filter(pk__gt=first_outbox, handler__startswith="meetings.notices.").delete()
    return [f"Stories: {made} demo stories, {Story.objects.count()} in all."]


def _workplace_stories(workplace: Workplace, admin: User) -> int:
    people = {"leader": _person(workplace, "leader"), "trio": _person(workplace, "trio")}
    if people["leader"] is None or people["trio"] is None:
        return 0
    made = 0
    for by, kind, title, text, colours, then in STORIES:
        photo = _picture(colours) if colours else None
        story = services.story_create(
            workplace=workplace,
            author=people[by],
            kind=kind,
            title=title,
            text=text,
            photo=photo,
            photo_alt="En tegning af et hus i solskin" if photo else "",
            photo_consent=bool(photo),
        )
        if by == "trio" and then != "awaiting":
            story = services.story_share(story=story, actor=people["leader"])
        if then == "public":
            services.story_public_set(story=story, actor=people["leader"], public=True)
        elif then == "hidden":
            services.story_hide(story=story, actor=admin, reason=HIDE_REASON)
        made += 1
    return made
