"""The positive list in the admin: read only. Items are added, changed and reviewed on the portal's pages, through
the services that record each change; reviews and events are history and never change."""

from django.contrib import admin

from .models import PolicyItem, PolicyItemEvent, PolicyReview


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewInline(_ReadOnly, admin.TabularInline):
    model = PolicyReview
    fields = ["decided_on", "decision", "reason", "changes", "next_review_on", "actor", "source_label"]
    readonly_fields = fields
    extra = 0


class EventInline(_ReadOnly, admin.TabularInline):
    model = PolicyItemEvent
    fk_name = "item"
    fields = ["at", "kind", "actor", "note", "changes"]
    readonly_fields = fields
    extra = 0


@admin.register(PolicyItem)
class PolicyItemAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["title", "committee", "kind", "status", "next_review_on", "removed_on"]
    list_filter = ["status", "kind", "committee"]
    search_fields = ["title", "demands"]
    list_select_related = ["committee"]
    inlines = [ReviewInline, EventInline]


@admin.register(PolicyReview)
class PolicyReviewAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["item", "decided_on", "decision", "actor"]
    list_filter = ["decision"]
    list_select_related = ["item", "actor"]
