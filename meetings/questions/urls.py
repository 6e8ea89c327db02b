"""Questions to a workplace (issue #17). Included by ``dialog_portal/urls.py`` under the ``meetings`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("udvalg/<slug:slug>/spoergsmaal/", views.question_list, name="question-list"),
    path("udvalg/<slug:slug>/spoergsmaal/nyt/", views.question_create, name="question-create"),
    path("spoergsmaal/<int:pk>/", views.question_detail, name="question-detail"),
    path("spoergsmaal/<int:pk>/svar/", views.question_answer, name="question-answer"),
    path("spoergsmaal/<int:pk>/send-videre/", views.question_pass_on, name="question-pass-on"),
]
