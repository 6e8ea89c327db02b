"""The rotation in the admin: plans and meetings change through the portal's pages, which keep the history; here
they are read."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from meetings.models import (
    CancellationRequest,
    Hosting,
    LedgerSnapshot,
    Meeting,
    MeetingDate,
    PlanningRun,
    PublishedInputs,
    RotationPlan,
)


@admin.register(MeetingDate)
class MeetingDateAdmin(ReadOnlyAdmin):
    list_display = ["committee", "date", "start", "minutes"]
    list_filter = ["committee"]
    date_hierarchy = "date"


@admin.register(RotationPlan)
class RotationPlanAdmin(ReadOnlyAdmin):
    list_display = ["committee", "year", "status", "created_at", "published_at"]
    list_filter = ["status", "committee", "year"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["committee", "starts_at", "host", "status", "outcome", "sequence"]
    list_filter = ["status", "outcome", "committee"]
    search_fields = ["host__name", "committee__name", "address"]
    date_hierarchy = "starts_at"


@admin.register(Hosting)
class HostingAdmin(ReadOnlyAdmin):
    list_display = ["committee", "date", "workplace", "source"]
    list_filter = ["source", "committee"]
    search_fields = ["workplace__name", "workplace__slug"]
    date_hierarchy = "date"


@admin.register(CancellationRequest)
class CancellationRequestAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "workplace", "status", "created_at", "handled_at"]
    list_filter = ["status"]


@admin.register(PlanningRun)
class PlanningRunAdmin(ReadOnlyAdmin):
    list_display = ["committee", "year", "status", "percent", "created_at", "finished_at"]
    list_filter = ["status"]


@admin.register(PublishedInputs)
class PublishedInputsAdmin(ReadOnlyAdmin):
    """The published record of a plan: read here, never changed (the model refuses too)."""

    list_display = ["plan", "fingerprint", "created_at"]
    list_filter = ["plan__committee"]
    readonly_fields = ["plan", "data", "fingerprint", "created_at"]


@admin.register(LedgerSnapshot)
class LedgerSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["month", "taken_at", "digest"]
