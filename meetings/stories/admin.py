from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from meetings.models import Story, StoryEvent


class StoryEventInline(ReadOnlyInline, admin.TabularInline):
    model = StoryEvent
    extra = 0
    fields = readonly_fields = ("kind", "actor", "note", "at")


@admin.register(Story)
class StoryAdmin(ReadOnlyAdmin):
    """Stories change through their pages (the services audit and notify); the secretariat hides one from the
    story's page."""

    list_display = ("title", "workplace", "kind", "status", "is_public", "shared_at")
    list_filter = ("status", "kind", "is_public")
    list_select_related = ("workplace",)
    search_fields = ("title", "workplace__name")
    inlines = [StoryEventInline]
