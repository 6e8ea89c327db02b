"""The annual rotation (issue #6). Included by ``dialog_portal/urls.py`` under the ``meetings`` namespace."""

from django.urls import path, register_converter

from codex.mirror_views import mirror_answer

from . import views


class MonthConverter:
    """A month as two digits: the public ledger's ``2026-03``."""

    regex = "0[1-9]|1[0-2]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


register_converter(MonthConverter, "month")

urlpatterns = [
    path("sekretariat/rotation/", views.rotation_index, name="rotation-index"),
    # Before <slug>/<year>/, which would otherwise take "koersel" for a committee.
    path("sekretariat/rotation/koersel/<int:pk>/", views.planning_run, name="planning-run"),
    path("sekretariat/rotation/koersel/<int:pk>/status/", views.planning_run_status, name="planning-run-status"),
    path("sekretariat/rotation/<slug:slug>/<int:year>/", views.rotation_year, name="rotation-year"),
    path(
        "sekretariat/rotation/<slug:slug>/<int:year>/datoer/foreslaa/",
        views.meeting_dates_generate,
        name="meeting-dates-generate",
    ),
    path(
        "sekretariat/rotation/<slug:slug>/<int:year>/datoer/ny/",
        views.meeting_date_edit,
        name="meeting-date-create",
    ),
    path(
        "sekretariat/rotation/<slug:slug>/<int:year>/datoer/<int:pk>/",
        views.meeting_date_edit,
        name="meeting-date-update",
    ),
    path(
        "sekretariat/rotation/<slug:slug>/<int:year>/datoer/<int:pk>/slet/",
        views.meeting_date_delete,
        name="meeting-date-delete",
    ),
    path("sekretariat/rotation/<slug:slug>/<int:year>/planlaeg/", views.planning_start, name="planning-start"),
    path(
        "sekretariat/rotation/plan/<int:plan_pk>/vaert/<int:planned_pk>/",
        views.host_swap,
        name="rotation-host-swap",
    ),
    path("sekretariat/rotation/plan/<int:plan_pk>/gaest/", views.guest_move, name="rotation-guest-move"),
    path("sekretariat/rotation/plan/<int:plan_pk>/offentliggoer/", views.plan_publish, name="rotation-publish"),
    path("moeder/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("moeder/<int:pk>/rediger/", views.meeting_edit, name="meeting-edit"),
    path("moeder/<int:pk>/praesentation/", views.meeting_presentation, name="meeting-presentation"),
    path("moeder/<int:pk>/referat/", views.meeting_minutes, name="meeting-minutes"),
    path("moeder/<int:pk>/hvad-skete/", views.meeting_outcome, name="meeting-outcome"),
    path("moeder/<int:pk>/kan-ikke/", views.meeting_cancellation, name="meeting-cancellation"),
    path("moeder/<int:pk>/genplan/", views.meeting_replan, name="meeting-replan"),
    path("moeder/<int:pk>/spejl/", mirror_answer, {"kind": "meeting"}, name="meeting-mirror"),
    path("moeder/<int:pk>/kalender.ics", views.meeting_ics, name="meeting-ics"),
    path("plan/", views.public_plan_index, name="public-plan-index"),
    path("plan/<slug:slug>/<int:year>/", views.public_plan, name="public-plan"),
    path("plan/<slug:slug>/<int:year>/grundlag.json", views.public_plan_inputs, name="public-plan-inputs"),
    path("plan/<slug:slug>.ics", views.public_feed, name="public-feed"),
    path("ligestilling/", views.ledger, name="ledger"),
    path("lige-adgang/", views.public_ledger_index, name="public-ledger-index"),
    path("lige-adgang/<int:year>-<month:month>/", views.public_ledger, name="public-ledger"),
    path("lige-adgang/<int:year>-<month:month>.csv", views.public_ledger_csv, name="public-ledger-csv"),
    path("arbejdspladser/<slug:slug>/oensker/", views.workplace_wishes, name="workplace-wishes"),
]
