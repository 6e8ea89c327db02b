from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.audit import audit_record

from . import services
from .models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    User,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
)


class MembershipInline(admin.TabularInline):
    model = CommitteeMembership
    extra = 0
    autocomplete_fields = ["user", "committee"]


class WorkplaceRoleInline(admin.TabularInline):
    model = WorkplaceRole
    extra = 0
    autocomplete_fields = ["user", "workplace"]


class BlackoutInline(admin.TabularInline):
    model = Blackout
    extra = 0


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = PersonCreationForm
    form = PersonChangeForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_staff", "is_active", "invited_at", "last_login"]
    list_filter = ["is_staff", "is_active", "memberships__committee", "workplace_roles__role"]
    search_fields = ["full_name", "email"]
    readonly_fields = ["invited_at", "last_login", "date_joined"]
    inlines = [MembershipInline, WorkplaceRoleInline]
    actions = ["invite"]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("invited_at", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )

    def get_inlines(self, request, obj):
        # Roles are added once the person exists.
        return self.inlines if obj is not None else []

    @admin.action(description=_("Send invitation with a set-password link"))
    def invite(self, request, queryset):
        count = services.people_invite(people=queryset, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d invitation queued.", "%(count)d invitations queued.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "meeting_weekday", "meeting_start", "meeting_minutes", "is_active"]
    list_filter = ["is_active", "meeting_weekday"]
    search_fields = ["name", "slug", "area"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False  # a committee's meetings, hostings and memberships are history: set it inactive instead


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "committee", "role", "start_date", "end_date"]
    list_filter = ["committee", "role"]
    search_fields = ["user__full_name", "user__email", "committee__name"]
    autocomplete_fields = ["user", "committee"]
    list_select_related = ["user", "committee"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(WorkplaceKind)
class WorkplaceKindAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "name_plural"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Workplace)
class WorkplaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "seats", "step_free", "is_active"]
    list_filter = ["is_active", "kind", "district", "committees", "step_free"]
    search_fields = ["name", "slug", "address"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["committees"]
    list_select_related = ["kind", "district"]
    inlines = [WorkplaceRoleInline, BlackoutInline]

    def has_delete_permission(self, request, obj=None):
        return False  # its hostings, visits and agreements are history: set it inactive instead


@admin.register(WorkplaceRole)
class WorkplaceRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "workplace", "role", "title", "start_date", "end_date"]
    list_filter = ["role", "workplace__kind"]
    search_fields = ["user__full_name", "user__email", "workplace__name"]
    autocomplete_fields = ["user", "workplace"]
    list_select_related = ["user", "workplace"]


@admin.register(Blackout)
class BlackoutAdmin(admin.ModelAdmin):
    list_display = ["workplace", "first_day", "last_day", "reason"]
    list_filter = ["workplace__district", "workplace__kind"]
    search_fields = ["workplace__name", "reason"]
    date_hierarchy = "first_day"
    autocomplete_fields = ["workplace"]
    list_select_related = ["workplace"]


# --- Second factors: who has one, never the secret ------------------------------------------------------------------

admin.site.unregister(Authenticator)  # allauth's own admin shows and edits the secrets


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Who has set up two-factor and when it was last used. The secrets (encrypted anyway) are never shown or
    edited. Deleting one resets a person's second factor (a lost phone); it is audited."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__full_name", "user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").defer("data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self._audit_reset(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._audit_reset(request, list(queryset))
        super().delete_queryset(request, queryset)

    @staticmethod
    def _audit_reset(request, authenticators) -> None:
        for authenticator in authenticators:
            audit_record(
                actor=request.user,
                action="account.second_factor_reset",
                object_type="meetings.user",
                object_id=authenticator.user_id,
                data={"type": authenticator.type},
            )
