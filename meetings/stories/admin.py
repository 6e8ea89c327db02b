from django.contrib import admin

from meetings.models import Story, StoryEvent


class StoryEventInline(admin.TabularInline):
    model = StoryEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "actor", "note", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """Read only: stories change through their pages (the services audit and notify); the secretariat hides one
    from the story's page."""

    list_display = ("title", "workplace", "kind", "status", "is_public", "shared_at")
    list_filter = ("status", "kind", "is_public")
    search_fields = ("title", "workplace__name")
    inlines = [StoryEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
