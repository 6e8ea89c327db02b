"""Workplace visits (issue #4). Included by ``dialog_portal/urls.py`` under the ``meetings`` namespace."""

from django.urls import path

from codex.mirror_views import mirror_answer

from . import views

urlpatterns = [
    path("besoeg/find/", views.visit_finder, name="visit-finder"),
    path("besoeg/tid/<int:slot_pk>/book/", views.visit_create, name="visit-create"),
    path("besoeg/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("besoeg/<int:pk>/bekraeft/", views.visit_confirm, name="visit-confirm"),
    path("besoeg/<int:pk>/afvis/", views.visit_decline, name="visit-decline"),
    path("besoeg/<int:pk>/aflys/", views.visit_cancel, name="visit-cancel"),
    path("besoeg/<int:pk>/flyt/", views.visit_move, name="visit-move"),
    path("besoeg/<int:pk>/feedback/", views.visit_feedback, name="visit-feedback"),
    path("besoeg/<int:pk>/hvad-skete/", views.visit_outcome, name="visit-outcome"),
    path("besoeg/<int:pk>/kalender.ics", views.visit_ics, name="visit-ics"),
    path("besoeg/<int:pk>/spejl/", mirror_answer, {"kind": "visit"}, name="visit-mirror"),
    path("besoeg/venteliste/", views.waitlist_list, name="waitlist-list"),
    path("besoeg/venteliste/<int:pk>/forlad/", views.waitlist_leave, name="waitlist-leave"),
    path("arbejdspladser/<slug:slug>/besoeg/venteliste/", views.waitlist_join, name="waitlist-join"),
    path("besoeg/baand/", views.workplace_tie_list, name="workplace-tie-list"),
    path("besoeg/baand/arbejdspladser.json", views.workplace_tie_search, name="workplace-tie-search"),
    path("besoeg/baand/<int:pk>/slet/", views.workplace_tie_delete, name="workplace-tie-delete"),
    path("besoegstider/", views.visit_offer_index, name="visit-offer-index"),
    path("besoegstider/<int:pk>/tilbagetraek/", views.visit_offer_withdraw, name="visit-offer-withdraw"),
    path("arbejdspladser/<slug:slug>/besoeg/", views.visit_slot_list, name="visit-slot-list"),
    path("arbejdspladser/<slug:slug>/besoegstider/", views.visit_offer_list, name="visit-offer-list"),
    path("arbejdspladser/<slug:slug>/besoegstider/ny/", views.visit_offer_create, name="visit-offer-create"),
    path(
        "arbejdspladser/<slug:slug>/besoegstider/indstillinger/",
        views.visit_settings_update,
        name="visit-settings-update",
    ),
    path("sekretariat/besoeg/", views.visit_admin_list, name="visit-admin-list"),
    path("sekretariat/besoeg.csv", views.visit_export, name="visit-export"),
    path(
        "sekretariat/besoeg/arbejdspladser.json",
        views.visit_admin_workplace_search,
        name="visit-admin-workplace-search",
    ),
    path("sekretariat/besoeg/politikere.json", views.visit_admin_person_search, name="visit-admin-person-search"),
]
