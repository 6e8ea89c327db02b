from django.urls import path

from . import import_views, outbox_views, views
from .rotation import views as rotation_views
from .visits import views as visit_views

app_name = "meetings"

urlpatterns = [
    path("udvalg/", views.committee_list, name="committee-list"),
    path("udvalg/<slug:slug>/", views.committee_detail, name="committee-detail"),
    path("arbejdspladser/", views.workplace_list, name="workplace-list"),
    path("arbejdspladser/<slug:slug>/", views.workplace_detail, name="workplace-detail"),
    path("sekretariat/import/", import_views.organisation_import, name="organisation-import"),
    path("sekretariat/beskeder/", outbox_views.outbox_dead_list, name="outbox-dead-list"),
    path("sekretariat/beskeder/<int:pk>/send-igen/", outbox_views.outbox_retry, name="outbox-retry"),
    # Workplace visits (issue #4)
    path("besoeg/find/", visit_views.visit_finder, name="visit-finder"),
    path("besoeg/tid/<int:slot_pk>/book/", visit_views.visit_create, name="visit-create"),
    path("besoeg/<int:pk>/", visit_views.visit_detail, name="visit-detail"),
    path("besoeg/<int:pk>/bekraeft/", visit_views.visit_confirm, name="visit-confirm"),
    path("besoeg/<int:pk>/afvis/", visit_views.visit_decline, name="visit-decline"),
    path("besoeg/<int:pk>/aflys/", visit_views.visit_cancel, name="visit-cancel"),
    path("besoeg/<int:pk>/flyt/", visit_views.visit_move, name="visit-move"),
    path("besoeg/<int:pk>/feedback/", visit_views.visit_feedback, name="visit-feedback"),
    path("besoeg/<int:pk>/kalender.ics", visit_views.visit_ics, name="visit-ics"),
    path("besoeg/<int:pk>/spejl/", visit_views.visit_mirror, name="visit-mirror"),
    path("besoeg/baand/", visit_views.workplace_tie_list, name="workplace-tie-list"),
    path("besoeg/baand/<int:pk>/slet/", visit_views.workplace_tie_delete, name="workplace-tie-delete"),
    path("besoegstider/", visit_views.visit_offer_index, name="visit-offer-index"),
    path("besoegstider/<int:pk>/tilbagetraek/", visit_views.visit_offer_withdraw, name="visit-offer-withdraw"),
    path("arbejdspladser/<slug:slug>/besoeg/", visit_views.visit_slot_list, name="visit-slot-list"),
    path("arbejdspladser/<slug:slug>/besoegstider/", visit_views.visit_offer_list, name="visit-offer-list"),
    path("arbejdspladser/<slug:slug>/besoegstider/ny/", visit_views.visit_offer_create, name="visit-offer-create"),
    path(
        "arbejdspladser/<slug:slug>/besoegstider/indstillinger/",
        visit_views.visit_settings_update,
        name="visit-settings-update",
    ),
    path("kalender/", visit_views.calendar_detail, name="calendar-detail"),
    path("kalender/nyt-link/", visit_views.calendar_feed_regenerate, name="calendar-feed-regenerate"),
    path("kalender/stop-link/", visit_views.calendar_feed_revoke, name="calendar-feed-revoke"),
    path("kalender/feed/<str:token>.ics", visit_views.calendar_feed, name="calendar-feed"),
    path("sekretariat/besoeg/", visit_views.visit_admin_list, name="visit-admin-list"),
    # The annual rotation (issue #6)
    path("sekretariat/rotation/", rotation_views.rotation_index, name="rotation-index"),
    # Before <slug>/<year>/, which would otherwise take "koersel" for a committee.
    path("sekretariat/rotation/koersel/<int:pk>/", rotation_views.planning_run, name="planning-run"),
    path("sekretariat/rotation/<slug:slug>/<int:year>/", rotation_views.rotation_year, name="rotation-year"),
    path(
        "sekretariat/rotation/<slug:slug>/<int:year>/datoer/foreslaa/",
        rotation_views.meeting_dates_generate,
        name="meeting-dates-generate",
    ),
    path(
        "sekretariat/rotation/<slug:slug>/<int:year>/datoer/ny/",
        rotation_views.meeting_date_edit,
        name="meeting-date-create",
    ),
    path(
        "sekretariat/rotation/<slug:slug>/<int:year>/datoer/<int:pk>/",
        rotation_views.meeting_date_edit,
        name="meeting-date-update",
    ),
    path(
        "sekretariat/rotation/<slug:slug>/<int:year>/datoer/<int:pk>/slet/",
        rotation_views.meeting_date_delete,
        name="meeting-date-delete",
    ),
    path("sekretariat/rotation/<slug:slug>/<int:year>/planlaeg/", rotation_views.planning_start, name="planning-start"),
    path(
        "sekretariat/rotation/plan/<int:plan_pk>/vaert/<int:planned_pk>/",
        rotation_views.host_swap,
        name="rotation-host-swap",
    ),
    path("sekretariat/rotation/plan/<int:plan_pk>/gaest/", rotation_views.guest_move, name="rotation-guest-move"),
    path(
        "sekretariat/rotation/plan/<int:plan_pk>/offentliggoer/", rotation_views.plan_publish, name="rotation-publish"
    ),
    path("moeder/<int:pk>/", rotation_views.meeting_detail, name="meeting-detail"),
    path("moeder/<int:pk>/rediger/", rotation_views.meeting_edit, name="meeting-edit"),
    path("moeder/<int:pk>/praesentation/", rotation_views.meeting_presentation, name="meeting-presentation"),
    path("moeder/<int:pk>/referat/", rotation_views.meeting_minutes, name="meeting-minutes"),
    path("moeder/<int:pk>/kan-ikke/", rotation_views.meeting_cancellation, name="meeting-cancellation"),
    path("moeder/<int:pk>/genplan/", rotation_views.meeting_replan, name="meeting-replan"),
    path("moeder/<int:pk>/spejl/", rotation_views.meeting_mirror, name="meeting-mirror"),
    path("moeder/<int:pk>/kalender.ics", rotation_views.meeting_ics, name="meeting-ics"),
    path("plan/", rotation_views.public_plan_index, name="public-plan-index"),
    path("plan/<slug:slug>/<int:year>/", rotation_views.public_plan, name="public-plan"),
    path("plan/<slug:slug>.ics", rotation_views.public_feed, name="public-feed"),
    path("ligestilling/", rotation_views.ledger, name="ledger"),
    path("sekretariat/besoeg.csv", visit_views.visit_export, name="visit-export"),
]
