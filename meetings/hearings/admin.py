"""The secretariat's admin for hearings. Submitted responses are read-only: they are never changed or deleted by
any path (the model refuses too); matters are changed through the pages, which audit and notify."""

from django.contrib import admin

from meetings.models import Hearing, HearingComment, HearingResponse, Matter, MatterFile


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HearingInline(ReadOnlyInline):
    model = Hearing
    fields = ("workplace", "draft_updated_at")
    readonly_fields = fields


class MatterFileInline(ReadOnlyInline):
    model = MatterFile
    fields = ("name", "size", "uploaded_at")
    readonly_fields = fields


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ("title", "case_number", "committee", "deadline", "decided_at")
    list_filter = ("committee",)
    search_fields = ("title", "case_number")
    date_hierarchy = "deadline"
    inlines = [HearingInline, MatterFileInline]
    readonly_fields = ("created_by", "created_at", "reminded_at", "deadline_noticed_at", "decided_at")

    def has_add_permission(self, request):
        return False  # registered on the page, which checks the rules and tells the workplaces

    def has_delete_permission(self, request, obj=None):
        return False


class HearingResponseInline(ReadOnlyInline):
    model = HearingResponse
    fields = ("number", "no_comments", "text", "late", "submitted_by", "submitted_at", "fingerprint")
    readonly_fields = fields


class HearingCommentInline(ReadOnlyInline):
    model = HearingComment
    fields = ("author", "body", "created_at")
    readonly_fields = fields


@admin.register(Hearing)
class HearingAdmin(admin.ModelAdmin):
    list_display = ("matter", "workplace")
    list_select_related = ("matter", "workplace")
    search_fields = ("matter__title", "workplace__name")
    readonly_fields = ("matter", "workplace", "draft", "draft_updated_at", "commenters")
    inlines = [HearingResponseInline, HearingCommentInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HearingResponse)
class HearingResponseAdmin(admin.ModelAdmin):
    """Read-only: a submitted response is kept as it was submitted."""

    list_display = ("hearing", "number", "no_comments", "late", "submitted_at")
    list_select_related = ("hearing__matter", "hearing__workplace")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
