"""Challenges of rules in the admin: read only. They are written and decided on the portal's pages, through the
services that check who may take each step and record it; events and joiners are history and never change."""

from django.contrib import admin

from core.admin import LabelledTabularInline, ReadOnlyAdmin, ReadOnlyInline

from .models import Challenge, ChallengeEvent, ChallengeJoiner


class JoinerInline(ReadOnlyInline, LabelledTabularInline):
    model = ChallengeJoiner
    fields = ["workplace", "hours_per_month", "note", "joined_by", "joined_at"]
    readonly_fields = fields
    extra = 0


class EventInline(ReadOnlyInline, LabelledTabularInline):
    model = ChallengeEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ["rule", "workplace", "committee", "status", "hours_per_month", "treated_on", "trial_ends_on"]
    list_filter = ["status", "proposal", "committee"]
    search_fields = ["rule", "description", "workplace__name"]
    list_select_related = ["workplace", "committee"]
    inlines = [JoinerInline, EventInline]
