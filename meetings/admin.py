from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .audit import audit_record
from .models import (
    Blackout,
    CalendarFeedToken,
    CancellationRequest,
    Committee,
    CommitteeMembership,
    District,
    Hosting,
    Meeting,
    MeetingDate,
    PlanningRun,
    RotationPlan,
    User,
    Visit,
    VisitEvent,
    VisitFeedback,
    VisitOffer,
    VisitParticipant,
    VisitSettings,
    VisitSlot,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
    WorkplaceTie,
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


# --- Workplace visits ---------------------------------------------------------------------


@admin.register(VisitSettings)
class VisitSettingsAdmin(admin.ModelAdmin):
    list_display = ["workplace", "auto_confirm", "monthly_cap"]
    list_filter = ["auto_confirm"]
    search_fields = ["workplace__name"]
    autocomplete_fields = ["workplace"]


@admin.register(VisitOffer)
class VisitOfferAdmin(admin.ModelAdmin):
    list_display = ["workplace", "kind", "starts_at", "weekday", "first_day", "last_day", "active"]
    list_filter = ["kind", "active", "workplace__kind"]
    search_fields = ["workplace__name", "topics"]
    raw_id_fields = ["workplace", "created_by"]


@admin.register(VisitSlot)
class VisitSlotAdmin(admin.ModelAdmin):
    list_display = ["workplace", "starts_at", "ends_at", "capacity", "booked_count", "cancelled"]
    list_filter = ["cancelled", "workplace__kind"]
    search_fields = ["workplace__name"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["workplace", "offer"]
    # Counts change only through the booking services, which lock the row.
    readonly_fields = ["booked_count"]


class VisitParticipantInline(admin.TabularInline):
    model = VisitParticipant
    extra = 0
    raw_id_fields = ["person"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class VisitEventInline(admin.TabularInline):
    model = VisitEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "action", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=_("Export the selected visits as CSV"))
def export_visits_csv(modeladmin, request, queryset):
    """The same file as the secretariat's export page (translated headers, formula cells neutralised)."""
    from .visits.exports import visits_csv
    from .visits.selectors import visits_with_details

    return visits_csv(visits_with_details().filter(pk__in=queryset.values("pk")).order_by("-starts_at"))


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """Read-mostly: changes go through the pages and services so every change is recorded."""

    list_display = ["workplace", "starts_at", "status", "booked_by", "sequence"]
    list_filter = ["status", "workplace__kind", "workplace__district"]
    search_fields = ["workplace__name", "booked_by__full_name", "participants__person__full_name", "purpose"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "slot",
        "workplace",
        "booked_by",
        "status",
        "starts_at",
        "ends_at",
        "seats",
        "sequence",
        "tie_seen",
    ]
    inlines = [VisitParticipantInline, VisitEventInline]
    actions = [export_visits_csv]

    def has_add_permission(self, request):
        return False


@admin.register(VisitFeedback)
class VisitFeedbackAdmin(admin.ModelAdmin):
    list_display = ["visit", "author", "kind", "rating", "created_at"]
    list_filter = ["kind", "rating"]
    search_fields = ["visit__workplace__name", "author__full_name", "text"]
    raw_id_fields = ["visit", "author"]


@admin.register(WorkplaceTie)
class WorkplaceTieAdmin(admin.ModelAdmin):
    list_display = ["person", "workplace", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["person__full_name", "workplace__name"]
    raw_id_fields = ["person", "workplace"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["person", "created_at", "revoked_at"]
    search_fields = ["person__full_name", "person__email"]
    fields = ["person", "created_at", "revoked_at"]  # never show the secret itself
    readonly_fields = ["person", "created_at"]


# --- The rotation: plans and meetings change through the portal's pages, which keep the history ---------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for lookup and search; changed only through the services (so every change is recorded)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingDate)
class MeetingDateAdmin(ReadOnlyAdmin):
    list_display = ["committee", "date", "start", "minutes"]
    list_filter = ["committee"]
    date_hierarchy = "date"


@admin.register(RotationPlan)
class RotationPlanAdmin(ReadOnlyAdmin):
    list_display = ["committee", "year", "status", "created_at", "published_at"]
    list_filter = ["status", "committee", "year"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["committee", "starts_at", "host", "status", "sequence"]
    list_filter = ["status", "committee"]
    search_fields = ["host__name", "committee__name", "address"]
    date_hierarchy = "starts_at"


@admin.register(Hosting)
class HostingAdmin(ReadOnlyAdmin):
    list_display = ["committee", "date", "workplace", "source"]
    list_filter = ["source", "committee"]
    search_fields = ["workplace__name", "workplace__slug"]
    date_hierarchy = "date"


@admin.register(CancellationRequest)
class CancellationRequestAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "workplace", "status", "created_at", "handled_at"]
    list_filter = ["status"]


@admin.register(PlanningRun)
class PlanningRunAdmin(ReadOnlyAdmin):
    list_display = ["committee", "year", "status", "percent", "created_at", "finished_at"]
    list_filter = ["status"]


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
