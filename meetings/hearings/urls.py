"""Hearings (issue #16). Included by ``dialog_portal/urls.py`` under the ``meetings`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("hoeringer/", views.matter_list, name="matter-list"),
    path("hoeringer/ny/", views.matter_create, name="matter-create"),
    path("hoeringer/<int:pk>/", views.matter_detail, name="matter-detail"),
    path("hoeringer/filer/<int:pk>/", views.matter_file, name="matter-file"),
    path("hoeringer/svar/<int:pk>/", views.hearing_detail, name="hearing-detail"),
    path("hoeringer/svar/<int:pk>/udkast/", views.hearing_draft, name="hearing-draft"),
    path("hoeringer/svar/<int:pk>/kommentar/", views.hearing_comment, name="hearing-comment"),
    path("hoeringer/svar/<int:pk>/send/", views.hearing_submit, name="hearing-submit"),
    path("hoeringer/svar/<int:pk>/ingen-bemaerkninger/", views.hearing_no_comments, name="hearing-no-comments"),
    path("hoeringer/svar/<int:pk>/foretraede/", views.hearing_present, name="hearing-present"),
    path("hoeringer/svar/<int:pk>/foretraede/accepter/", views.presentation_accept, name="presentation-accept"),
    path("hoeringer/svar/<int:pk>/foretraede/afvis/", views.presentation_decline, name="presentation-decline"),
    path("hoeringer/svar/<int:pk>/offentlig/", views.hearing_publication_agree, name="hearing-publication-agree"),
    path(
        "hoeringer/svar/<int:pk>/offentlig/tilbagekald/",
        views.hearing_publication_withdraw,
        name="hearing-publication-withdraw",
    ),
    path("hoeringer/<int:pk>/afgoerelse/", views.matter_decide, name="matter-decide"),
]
