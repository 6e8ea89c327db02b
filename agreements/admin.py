"""The secretariat's view of agreements. Versions, signatures and events are shown read-only: the portal
never edits them. Writes that belong to the workflow happen on the portal's pages, not here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Agreement,
    AgreementEvent,
    AgreementSignature,
    AgreementVersion,
    Comment,
    FollowUp,
    Goal,
    SharedGoal,
)


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GoalInline(_ReadOnly, admin.StackedInline):
    model = Goal
    extra = 0
    fields = ["order", "kind", "shared_goal", "title", "baseline", "aim", "indicator", "target"]


class VersionInline(_ReadOnly, admin.TabularInline):
    model = AgreementVersion
    extra = 0
    fields = ["number", "fingerprint", "created_by", "created_at"]


class SignatureInline(_ReadOnly, admin.TabularInline):
    model = AgreementSignature
    extra = 0
    fields = ["version", "side", "role", "person", "chair_absence", "signed_at", "fingerprint"]


class EventInline(_ReadOnly, admin.TabularInline):
    model = AgreementEvent
    extra = 0
    fields = ["created_at", "actor", "action", "from_status", "to_status", "note"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["workplace", "committee", "period_start", "period_end", "status", "status_changed_at"]
    list_filter = ["status", "committee", "period_start"]
    search_fields = ["workplace__name", "committee__name"]
    date_hierarchy = "period_start"
    list_select_related = ["workplace", "committee"]
    inlines = [GoalInline, VersionInline, SignatureInline, EventInline]
    readonly_fields = [
        "workplace",
        "committee",
        "status",
        "status_changed_at",
        "amends",
        "carried_from",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fields = [
        "workplace",
        "committee",
        ("period_start", "period_end"),
        ("midterm_on", "final_on"),
        "status",
        "status_changed_at",
        "core_task",
        "support",
        "follow_up_plan",
        "consultees",
        "amends",
        "carried_from",
        "created_by",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["consultees"]

    def has_add_permission(self, request):
        return False  # agreements start on the workplace's page, through the workflow

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)


@admin.register(SharedGoal)
class SharedGoalAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "period_start", "period_end", "is_active"]
    autocomplete_fields = ["created_by"]  # a search, not a select of every person (issue 19)
    list_filter = ["is_active", "committee"]
    search_fields = ["title", "text"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["agreement", "number", "fingerprint", "created_at"]
    list_select_related = ["agreement__workplace", "agreement__committee"]
    search_fields = ["agreement__workplace__name", "fingerprint"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["agreement", "version", "side", "role", "person", "signed_at"]
    list_filter = ["side", "role"]
    list_select_related = ["agreement__workplace", "agreement__committee", "version", "person"]
    search_fields = ["person__full_name", "agreement__workplace__name", "fingerprint"]


@admin.register(AgreementEvent)
class AgreementEventAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["created_at", "agreement", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "to_status"]
    list_select_related = ["agreement__workplace", "agreement__committee", "actor"]


@admin.register(Comment)
class CommentAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["created_at", "agreement", "author", "target_label", "resolved_at"]
    list_select_related = ["agreement__workplace", "agreement__committee", "author"]

    @admin.display(description=_("About"))
    def target_label(self, comment):
        return comment.target_label


@admin.register(FollowUp)
class FollowUpAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["recorded_at", "goal", "kind", "status", "recorded_by"]
    list_filter = ["kind", "status"]
    list_select_related = ["goal", "recorded_by"]
