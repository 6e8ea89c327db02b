"""Stories from everyday work (issue 17), under the ``stories`` namespace (``dialog_portal/urls.py``)."""

from django.urls import path

from . import feeds, views

app_name = "stories"

urlpatterns = [
    path("ny/<slug:slug>/", views.story_create, name="story-create"),
    path("<int:pk>/", views.story_detail, name="story-detail"),
    path("<int:pk>/del/", views.story_share, name="story-share"),
    path("<int:pk>/offentlig/", views.story_public, name="story-public"),
    path("<int:pk>/ikke-offentlig/", views.story_private, name="story-private"),
    path("<int:pk>/skjul/", views.story_hide, name="story-hide"),
    path("<int:pk>/foto/", views.story_photo, name="story-photo"),
    path("udvalg/<slug:slug>/", views.committee_feed, name="committee-feed"),
    path("offentlige/<slug:slug>/", views.public_list, name="public-list"),
    path("offentlige/<slug:slug>/feed/", feeds.PublicStoriesFeed(), name="public-feed"),
]
