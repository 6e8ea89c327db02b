"""Challenges of rules in the admin: read only. They are written and decided on the portal's pages, through the
services that check who may take each step and record it; events and joiners are history and never change."""

from django.contrib import admin

from .models import Challenge, ChallengeEvent, ChallengeJoiner


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class JoinerInline(_ReadOnly, admin.TabularInline):
    model = ChallengeJoiner
    fields = ["workplace", "hours_per_month", "note", "joined_by", "joined_at"]
    readonly_fields = fields
    extra = 0


class EventInline(_ReadOnly, admin.TabularInline):
    model = ChallengeEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(Challenge)
class ChallengeAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["rule", "workplace", "committee", "status", "hours_per_month", "treated_on", "trial_ends_on"]
    list_filter = ["status", "proposal", "committee"]
    search_fields = ["rule", "description", "workplace__name"]
    list_select_related = ["workplace", "committee"]
    inlines = [JoinerInline, EventInline]
