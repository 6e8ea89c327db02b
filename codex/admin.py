"""The secretariat writes codex versions here; publishing happens on a confirmation page."""

from django.contrib import admin, messages
from django.db import models
from django.forms import Textarea
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import CodexError
from .forms import VersionAdminForm
from .models import CodexPrinciple, CodexSection, CodexValue, CodexVersion, MirrorQuestion, SignatureEvent


class _FrozenWhenPublished:
    """Inlines and forms of a published version are read-only."""

    def _published(self, obj) -> bool:
        version = obj if isinstance(obj, CodexVersion) else getattr(obj, "version", None)
        return bool(version and version.is_published)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._published(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._published(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._published(obj)


class SectionInline(_FrozenWhenPublished, admin.StackedInline):
    model = CodexSection
    extra = 0
    fields = ["order", "title", "edit_link"]
    readonly_fields = ["edit_link"]

    @admin.display(description=_("Principles"))
    def edit_link(self, section):
        if not section.pk:
            return _("Save first, then add principles.")
        count = section.principles.count()
        url = reverse("admin:codex_codexsection_change", args=[section.pk])
        return format_html('<a href="{}">{}</a>', url, _("Principles (%(count)d)") % {"count": count})


class ValueInline(_FrozenWhenPublished, admin.TabularInline):
    model = CodexValue
    extra = 0


class PrincipleInline(admin.StackedInline):
    model = CodexPrinciple
    extra = 0
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 4, "cols": 80})}}

    def _published(self, obj):
        return bool(obj and obj.version.is_published)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._published(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._published(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._published(obj)


@admin.register(CodexVersion)
class CodexVersionAdmin(admin.ModelAdmin):
    form = VersionAdminForm
    list_display = ["number", "title", "status", "published_on", "change_kind", "links"]
    list_filter = ["status"]
    inlines = [SectionInline, ValueInline]
    actions = ["revise"]

    def get_readonly_fields(self, request, obj=None):
        base = ["links"]
        if obj and obj.is_published:
            return [*base, "title", "introduction", "roles_to_sign", "published_on", "change_kind", "fingerprint"]
        return base

    def get_fields(self, request, obj=None):
        fields = ["title", "introduction", "roles_to_sign"]
        if obj and obj.is_published:
            fields += ["published_on", "change_kind", "fingerprint"]
        return [*fields, "links"] if obj else fields

    def has_change_permission(self, request, obj=None):
        # Published versions open read-only (view permission), drafts can be edited.
        return super().has_change_permission(request, obj) and not (obj and obj.is_published)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)

    def delete_queryset(self, request, queryset):
        # A bulk delete bypasses the model's refusal; published versions are never deleted.
        queryset.drafts().delete()

    def save_model(self, request, obj, form, change):
        if not change:
            last = CodexVersion.objects.order_by("-number").first()
            obj.number = (last.number + 1) if last else 1
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Preview and publish"))
    def links(self, version):
        if not version.pk:
            return ""
        preview = reverse("codex:version-detail", args=[version.number])
        if version.is_published:
            return format_html('<a href="{}">{}</a>', preview, _("Read"))
        publish = reverse("codex:version-publish", args=[version.number])
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>', preview, _("Preview"), publish, _("Publish…"))

    @admin.action(description=_("Write a revision (a new draft copying the text)"))
    def revise(self, request, queryset):
        for version in queryset:
            try:
                draft = services.codex_version_revise(version=version, actor=request.user)
            except CodexError as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            self.message_user(request, _("Draft version %(number)s created.") % {"number": draft.number})


@admin.register(CodexSection)
class CodexSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "order"]
    inlines = [PrincipleInline]

    def has_module_permission(self, request):
        return False  # reached from its version

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.version.is_published)


@admin.register(MirrorQuestion)
class MirrorQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "version", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(SignatureEvent)
class SignatureEventAdmin(admin.ModelAdmin):
    """The log, read-only: nobody edits or deletes it, not even here."""

    list_display = ["pk", "kind", "person", "version", "typed_name", "created_at"]
    list_filter = ["kind", "version"]
    search_fields = ["person__full_name", "typed_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
