"""The secretariat's admin for questions to a workplace: read-only. The administration can see a politician's
question and the answers, never rewrite them (the answers' model refuses too)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from meetings.models import Question, QuestionAnswer


class QuestionAnswerInline(ReadOnlyInline, admin.TabularInline):
    model = QuestionAnswer
    extra = 0
    can_delete = False
    fields = ("number", "text", "author", "written_at")
    readonly_fields = fields


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("workplace", "committee", "asked_by", "asked_at", "deadline", "status")
    list_filter = ("status", "committee")
    list_select_related = ("workplace", "committee", "asked_by")
    search_fields = ("text", "workplace__name")
    date_hierarchy = "asked_at"
    readonly_fields = (
        "group",
        "committee",
        "workplace",
        "asked_by",
        "text",
        "asked_at",
        "deadline",
        "status",
        "answered_at",
        "reminded_at",
        "passed_to_name",
        "passed_to_email",
        "passed_to",
        "pass_note",
        "passed_by",
        "passed_at",
    )
    fields = readonly_fields
    inlines = [QuestionAnswerInline]
