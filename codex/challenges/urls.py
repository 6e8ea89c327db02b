"""Challenges of rules (issue 18). Included by ``codex/urls.py`` under the ``codex`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("udfordringer/", views.challenge_list, name="challenge-list"),
    path("udfordringer/afgjorte/", views.challenge_public, name="challenge-public"),
    path("udfordringer/ny/", views.challenge_create, name="challenge-create"),
    path("udfordringer/<int:pk>/", views.challenge_detail, name="challenge-detail"),
    path("udfordringer/<int:pk>/ret/", views.challenge_edit, name="challenge-edit"),
    path("udfordringer/<int:pk>/send/", views.challenge_submit, name="challenge-submit"),
    path("udfordringer/<int:pk>/dagsorden/", views.challenge_schedule, name="challenge-schedule"),
    path("udfordringer/<int:pk>/afgoerelse/", views.challenge_decide, name="challenge-decide"),
    path("udfordringer/<int:pk>/evaluering/", views.challenge_evaluate, name="challenge-evaluate"),
    path("udfordringer/<int:pk>/gaelder-os/", views.challenge_join, name="challenge-join"),
]
