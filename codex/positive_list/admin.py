"""The positive list in the admin: read only. Items are added, changed and reviewed on the portal's pages, through
the services that record each change; reviews and events are history and never change."""

from django.contrib import admin

from core.admin import LabelledTabularInline, ReadOnlyAdmin, ReadOnlyInline

from .models import PolicyItem, PolicyItemEvent, PolicyReview


class ReviewInline(ReadOnlyInline, LabelledTabularInline):
    model = PolicyReview
    fields = ["decided_on", "decision", "reason", "changes", "next_review_on", "actor", "source_label"]
    readonly_fields = fields
    extra = 0


class EventInline(ReadOnlyInline, LabelledTabularInline):
    model = PolicyItemEvent
    fk_name = "item"
    fields = ["at", "kind", "actor", "note", "changes"]
    readonly_fields = fields
    extra = 0


@admin.register(PolicyItem)
class PolicyItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "committee", "kind", "status", "next_review_on", "removed_on"]
    list_filter = ["status", "kind", "committee"]
    search_fields = ["title", "demands"]
    list_select_related = ["committee"]
    inlines = [ReviewInline, EventInline]


@admin.register(PolicyReview)
class PolicyReviewAdmin(ReadOnlyAdmin):
    list_display = ["item", "decided_on", "decision", "actor"]
    list_filter = ["decision"]
    list_select_related = ["item", "actor"]
