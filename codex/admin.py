"""The secretariat writes codex versions here; publishing happens on a confirmation page."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.db import models
from django.forms import Textarea
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import CodexError
from .forms import VersionAdminForm
from .models import (
    PUBLISHED_NEVER_CHANGES,
    CodexPrinciple,
    CodexSection,
    CodexValue,
    CodexVersion,
    MirrorQuestion,
    SignatureEvent,
)

# The fields a writer types into (a version's, a section's, a principle's or a value's text): shown back to them
# when a save is refused, so nothing typed is lost.
_TYPED_FIELDS = {
    "title": _("Title"),
    "introduction": _("Introduction"),
    "heading": _("Heading"),
    "text": _("Text"),
    "name": _("Value"),
}


def _version_of(obj) -> CodexVersion | None:
    if isinstance(obj, CodexVersion):
        return obj
    if isinstance(obj, CodexSection):
        return obj.version
    if isinstance(obj, CodexPrinciple):
        return obj.section.version
    return getattr(obj, "version", None)


def _is_published(obj) -> bool:
    version = _version_of(obj) if obj is not None else None
    return bool(version and version.is_published)


class FrozenPartForm(forms.ModelForm):
    """A section, principle or value form: a row that cannot be saved (its version is published, or it would move
    into or out of one) is refused beside the fields, so nothing typed is lost."""

    def _post_clean(self):
        super()._post_clean()
        if not self.errors and self.has_changed():
            refusal = self.instance.refusal()
            if refusal:
                self.add_error(None, refusal)


class SectionForm(FrozenPartForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("version")
        if field is not None:
            # Sections are written into drafts only; a published version is no choice at all.
            field.queryset = CodexVersion.objects.drafts()
            field.error_messages["invalid_choice"] = _(
                "Choose a draft. A published version never changes; write a new version instead."
            )


class _FrozenWhenPublished:
    """Inlines of a published version are read-only: nothing to add, change or delete."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _is_published(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _is_published(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _is_published(obj)


class _RefusesKindly:
    """A refused write ends in a translated message on the version's page, never in a 403 or a 500.

    A published version's pages have no save or delete buttons; a POST that still arrives comes from a page opened
    while the version was a draft, or was written by hand."""

    def _version_page(self, obj):
        version = _version_of(obj)
        if version is None:
            return redirect("admin:codex_codexversion_changelist")
        return redirect("admin:codex_codexversion_change", version.pk)

    def _refuse(self, request, obj, message=PUBLISHED_NEVER_CHANGES):
        self.message_user(request, str(message), messages.ERROR)
        return self._version_page(obj)

    def _refuse_save(self, request, obj, message=PUBLISHED_NEVER_CHANGES):
        """A save refused because the version was published meanwhile: the page says so and shows what was typed,
        to copy into a new draft, rather than leaving it behind in a redirect."""
        version = _version_of(obj)
        typed = []
        for key, value in request.POST.items():
            *inline, field = key.split("-")
            if value.strip() and field in _TYPED_FIELDS:
                label = _TYPED_FIELDS[field]
                typed.append(
                    (f"{label} ({int(inline[1]) + 1})" if len(inline) == 2 and inline[1].isdigit() else label, value)
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Not saved"),
            "message": message,
            "typed": typed,
            "version": version,
            "version_url": reverse("admin:codex_codexversion_change", args=[version.pk]) if version else None,
        }
        return TemplateResponse(request, "admin/codex/refused_save.html", context, status=409)

    def _frozen(self, request, object_id):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        return obj if _is_published(obj) else None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            frozen = self._frozen(request, object_id)
            if frozen is not None:
                return self._refuse_save(request, frozen)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except CodexError as error:  # published between the check and the save: the model layer refused it
            obj = self.get_object(request, unquote(object_id)) if object_id else None
            return self._refuse_save(request, obj, error)

    def delete_view(self, request, object_id, extra_context=None):
        frozen = self._frozen(request, object_id)
        if frozen is not None:
            return self._refuse(request, frozen, self.delete_refusal)
        try:
            return super().delete_view(request, object_id, extra_context)
        except CodexError as error:
            return self._refuse(request, self.get_object(request, unquote(object_id)), error)


class SectionInline(_FrozenWhenPublished, admin.StackedInline):
    model = CodexSection
    form = FrozenPartForm
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


class ValueInline(_FrozenWhenPublished, admin.StackedInline):
    # Stacked, not tabular: each field gets its own label (a tabular row has only column heads, which axe and
    # screen readers do not tie to the fields).
    model = CodexValue
    form = FrozenPartForm
    extra = 0


class PrincipleInline(_FrozenWhenPublished, admin.StackedInline):
    model = CodexPrinciple
    form = FrozenPartForm
    extra = 0
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 4, "cols": 80})}}


@admin.register(CodexVersion)
class CodexVersionAdmin(_RefusesKindly, admin.ModelAdmin):
    form = VersionAdminForm
    list_display = ["number", "title", "status", "published_on", "change_kind", "links"]
    list_filter = ["status"]
    inlines = [SectionInline, ValueInline]
    actions = ["revise", "delete_drafts"]
    delete_refusal = _("A published version cannot be deleted.")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # replaced by delete_drafts, which refuses published versions kindly
        return actions

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
        # The model layer refuses published versions too; only drafts reach here.
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

    @admin.action(permissions=["delete"], description=_("Delete the selected drafts"))
    def delete_drafts(self, request, queryset):
        if queryset.published().exists():
            self.message_user(request, _("Published versions are never deleted. Nothing was deleted."), messages.ERROR)
            return None
        return delete_selected(self, request, queryset)


@admin.register(CodexSection)
class CodexSectionAdmin(_RefusesKindly, admin.ModelAdmin):
    """A draft's section and its principles. Reached from the version's page, and back there after saving."""

    form = SectionForm
    list_display = ["title", "version", "order"]
    inlines = [PrincipleInline]
    delete_refusal = PUBLISHED_NEVER_CHANGES

    def has_module_permission(self, request):
        return False  # reached from its version

    def get_actions(self, request):
        return {}

    def changelist_view(self, request, extra_context=None):
        # Sections are listed on their version's page; this list would only be a back door around it.
        return redirect("admin:codex_codexversion_changelist")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _is_published(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _is_published(obj)

    def response_post_save_add(self, request, obj):
        return self._version_page(obj)

    def response_post_save_change(self, request, obj):
        return self._version_page(obj)

    def response_delete(self, request, obj_display, obj_id):
        version_id = getattr(request, "codex_section_version_id", None)
        self.message_user(request, _('The section "%(title)s" is deleted.') % {"title": obj_display})
        if version_id is None:
            return redirect("admin:codex_codexversion_changelist")
        return redirect("admin:codex_codexversion_change", version_id)

    def delete_model(self, request, obj):
        request.codex_section_version_id = obj.version_id  # for response_delete: back to the version's page
        super().delete_model(request, obj)


@admin.register(MirrorQuestion)
class MirrorQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "version", "order", "active"]
    list_editable = ["order", "active"]

    def get_readonly_fields(self, request, obj=None):
        # Scores were given to these words: once answered, a statement is retired (inactive), never reworded.
        if obj is not None and obj.answers.exists():
            return ["text", "version"]
        return []


@admin.register(SignatureEvent)
class SignatureEventAdmin(admin.ModelAdmin):
    """The log, read-only: nobody edits or deletes it, not even here."""

    list_display = ["id", "kind", "person", "version", "typed_name", "created_at"]
    list_filter = ["kind", "version"]
    search_fields = ["person__full_name", "typed_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The positive list's admin (read only) is declared beside its models.
from .challenges import admin as challenges_admin  # noqa: E402, F401
from .positive_list import admin as positive_list_admin  # noqa: E402, F401
