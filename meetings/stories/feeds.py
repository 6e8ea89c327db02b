"""The Atom feed of a committee's public stories (Django's syndication framework), for everyone."""

from django.contrib.syndication.views import Feed
from django.db.models import Value
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from meetings.models import Committee

from . import selectors

FEED_SIZE = 20


class PublicStoriesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Committee.objects.active(), slug=slug)

    def title(self, committee):
        return _("Stories from the workplaces of %(committee)s") % {"committee": committee.name}

    def subtitle(self, committee):
        return _("Good stories and challenges that the workplaces' leaders chose to show publicly.")

    def link(self, committee):
        return reverse("stories:public-list", args=[committee.slug])

    def items(self, committee):
        # Each item links to this committee's public page (a workplace may serve several committees).
        return selectors.public_stories(committee).annotate(feed_slug=Value(committee.slug))[:FEED_SIZE]

    def item_title(self, story):
        return f"{story.get_kind_display()}: {story.title} ({story.workplace.name})"

    def item_description(self, story):
        return story.text  # escaped by the feed generator

    def item_link(self, story):
        return f"{reverse('stories:public-list', args=[story.feed_slug])}#historie-{story.pk}"

    def item_guid(self, story):
        return f"story-{story.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, story):
        return story.shared_at

    def item_updateddate(self, story):
        return story.shared_at
