"""The secretariat's admin for hearings. Submitted responses are read-only: they are never changed or deleted by
any path (the model refuses too); matters are changed through the pages, which audit and notify."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from meetings.models import Hearing, HearingComment, HearingResponse, Matter, MatterFile, MeetingDate


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
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
    # The secretariat may correct the words or move the matter to another of the committee's dates; the rest is
    # set by the services (the hearing period, the decision), which check the rules and tell the workplaces.
    fields = ("title", "case_number", "summary", "meeting_date", "committee", "deadline", "urgency_reason")
    readonly_fields = ("committee", "deadline", "urgency_reason")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting_date":
            matter_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            committee = Matter.objects.filter(pk=matter_id).values("committee_id")
            kwargs["queryset"] = MeetingDate.objects.filter(committee_id__in=committee).select_related("committee")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
    readonly_fields = (
        "matter",
        "workplace",
        "draft",
        "draft_updated_at",
        "commenters",
        "response_public_version",
        "response_public_by",
        "response_public_at",
    )
    inlines = [HearingResponseInline, HearingCommentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the leader writes on the hearing's page

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HearingResponse)
class HearingResponseAdmin(admin.ModelAdmin):
    """Read-only: a submitted response is kept as it was submitted."""

    list_display = ("hearing_column", "number", "no_comments", "late", "submitted_at")
    list_select_related = ("hearing__matter", "hearing__workplace")

    @admin.display(description=_("hearing"), ordering="hearing")
    def hearing_column(self, obj):
        return obj.hearing

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
