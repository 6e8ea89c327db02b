from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from . import services, sso
from .audit import audit_record
from .errors import MeetingsError
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
from .visits import services as visit_services
from .visits.forms import ReasonForm


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


# --- History is read-only: changes go through the services, which record, audit and notify -----------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for lookup and search; changed only through the services (so every change is recorded)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyInline:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Workplace visits ---------------------------------------------------------------------


@admin.register(VisitSettings)
class VisitSettingsAdmin(admin.ModelAdmin):
    """How a workplace receives visits: settings, not history, so the secretariat may help a leader here."""

    list_display = ["workplace", "auto_confirm", "monthly_cap"]
    list_filter = ["auto_confirm"]
    search_fields = ["workplace__name"]
    autocomplete_fields = ["workplace"]


@admin.register(VisitOffer)
class VisitOfferAdmin(ReadOnlyAdmin):
    """Offers are made and withdrawn by the leader; an offer added here would have no times to book."""

    list_display = ["workplace", "kind", "starts_at", "weekday", "first_day", "last_day", "active"]
    list_filter = ["kind", "active", "workplace__kind"]
    search_fields = ["workplace__name", "topics"]
    list_select_related = ["workplace"]


@admin.register(VisitSlot)
class VisitSlotAdmin(ReadOnlyAdmin):
    """Times and their booked places change only through the booking services, which lock the row."""

    list_display = ["workplace", "starts_at", "ends_at", "capacity", "booked_count", "cancelled"]
    list_filter = ["cancelled", "workplace__kind"]
    search_fields = ["workplace__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["workplace"]


class VisitParticipantInline(_ReadOnlyInline, admin.TabularInline):
    model = VisitParticipant
    extra = 0
    fields = ["person"]


class VisitEventInline(_ReadOnlyInline, admin.TabularInline):
    model = VisitEvent
    extra = 0
    fields = ["created_at", "actor", "action", "from_status", "to_status", "note"]


@admin.action(description=_("Export the selected visits as CSV"))
def export_visits_csv(modeladmin, request, queryset):
    """The same file as the secretariat's export page (translated headers, formula cells neutralised)."""
    from .visits.exports import visits_csv
    from .visits.selectors import visits_with_details

    return visits_csv(visits_with_details().filter(pk__in=queryset.values("pk")).order_by("-starts_at"))


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    """Read-only: a visit is cancelled (through the service: the place is freed, the change recorded and audited,
    everyone told), never deleted or edited here."""

    list_display = ["workplace", "starts_at", "status", "booked_by", "sequence"]
    list_filter = ["status", "workplace__kind", "workplace__district"]
    search_fields = ["workplace__name", "booked_by__full_name", "participants__person__full_name", "purpose"]
    date_hierarchy = "starts_at"
    list_select_related = ["workplace", "booked_by"]
    inlines = [VisitParticipantInline, VisitEventInline]
    actions = [export_visits_csv, "cancel_visits"]

    def has_cancel_permission(self, request):
        return request.user.has_perm("meetings.change_visit") and request.user.roles.is_administrator

    @admin.action(permissions=["cancel"], description=_("Cancel the selected visits…"))
    def cancel_visits(self, request, queryset):
        """Ask for the reason first (it goes into the e-mail), then cancel each visit through the service."""
        visits = list(queryset.select_related("workplace").prefetch_related("participants__person"))
        form = ReasonForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            cancelled, refused = 0, []
            for visit in visits:
                try:
                    visit_services.visit_cancel(visit=visit, actor=request.user, reason=form.cleaned_data["reason"])
                except MeetingsError as error:
                    when = date_format(timezone.localtime(visit.starts_at), r"j. N Y \k\l. G.i")
                    refused.append(
                        _("%(workplace)s, %(when)s: %(reason)s")
                        % {"workplace": visit.workplace.name, "when": when, "reason": error}
                    )
                else:
                    cancelled += 1
            if cancelled:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d visit is cancelled. Everyone involved is told.",
                        "%(count)d visits are cancelled. Everyone involved is told.",
                        cancelled,
                    )
                    % {"count": cancelled},
                    messages.SUCCESS,
                )
            for refusal in refused:
                self.message_user(request, refusal, messages.ERROR)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel visits"),
            "opts": self.model._meta,
            "visits": visits,
            "form": form,
            "action_name": "cancel_visits",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/meetings/visit/cancel_visits.html", context)


@admin.register(VisitFeedback)
class VisitFeedbackAdmin(ReadOnlyAdmin):
    """Feedback once given is the author's words: read here, never edited, reassigned or deleted."""

    list_display = ["visit", "author", "kind", "rating", "created_at"]
    list_filter = ["kind", "rating"]
    search_fields = ["visit__workplace__name", "author__full_name", "text"]
    list_select_related = ["visit__workplace", "author"]


@admin.register(WorkplaceTie)
class WorkplaceTieAdmin(ReadOnlyAdmin):
    """A politician's own declaration: they declare and remove it; the secretariat only reads it."""

    list_display = ["person", "workplace", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["person__full_name", "workplace__name"]
    list_select_related = ["person", "workplace"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(ReadOnlyAdmin):
    """Read-only; the secretariat can stop an address (through the service, audited), never bring one back."""

    list_display = ["person", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__full_name", "person__email"]
    fields = ["person", "created_at", "revoked_at"]  # never show the secret itself
    list_select_related = ["person"]
    actions = ["revoke_tokens"]

    def has_revoke_permission(self, request):
        return request.user.has_perm("meetings.change_calendarfeedtoken") and request.user.roles.is_administrator

    @admin.action(permissions=["revoke"], description=_("Stop the selected calendar addresses"))
    def revoke_tokens(self, request, queryset):
        people = User.objects.filter(pk__in=queryset.usable().values("person_id"))
        count = sum(visit_services.calendar_token_revoke(person=person, actor=request.user) for person in people)
        self.message_user(
            request,
            ngettext(
                "%(count)d calendar address no longer works.", "%(count)d calendar addresses no longer work.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


# --- The rotation: plans and meetings change through the portal's pages, which keep the history ---------------


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


# --- Logins from the municipality's identity providers ------------------------------------------------------------

# allauth's names for the links, as the secretariat sees them in the administration (overridden in the catalogue).
ALLAUTH_TEXTS = (gettext_noop("Social Accounts"), gettext_noop("social account"), gettext_noop("social accounts"))

# Providers are configured in the environment (docs/sso.md), and the portal keeps no tokens.
admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)
admin.site.unregister(SocialAccount)


class SSOLinkForm(forms.ModelForm):
    provider = forms.ChoiceField(label=_("Login"))

    class Meta:
        model = SocialAccount
        fields = ["user", "provider", "uid"]
        labels = {"user": _("person"), "uid": _("subject id")}
        help_texts = {
            "uid": _(
                "The id the provider gives the person: for Entra ID the object id (oid) or subject (sub), as the "
                "provider's uid_claim says; for SAML the subject the identity provider sends."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [
            (p["id"], p["name"]) for p in (*settings.DIALOG_OIDC_PROVIDERS, *settings.DIALOG_SAML_PROVIDERS)
        ]

    def clean(self):
        data = super().clean()
        if data.get("user") and data.get("provider"):
            refusal = sso.sso_link_refusal(
                person=data["user"], provider_id=data["provider"], subject=data.get("uid", "")
            )
            if refusal:
                raise forms.ValidationError(refusal)
        return data


@admin.register(SocialAccount)
class SSOLinkAdmin(admin.ModelAdmin):
    """Which person each login from an identity provider leads to. The secretariat may register a subject before a
    person's first login, and remove a link that is wrong (the next login links anew); a link is never edited.
    Both are audited (meetings/sso.py)."""

    form = SSOLinkForm
    list_display = ["user", "provider_name", "uid", "email_at_provider", "date_joined", "last_login"]
    search_fields = ["user__full_name", "user__email", "uid"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]

    @admin.display(description=_("Login"))
    def provider_name(self, obj):
        return sso.sso_provider_name(obj.provider)

    @admin.display(description=_("e-mail at the provider"))
    def email_at_provider(self, obj):
        return (obj.extra_data or {}).get("email", "")

    def get_fields(self, request, obj=None):
        return ["user", "provider", "uid"] if obj is None else ["user", "provider", "uid", "date_joined", "last_login"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["user", "provider", "uid", "date_joined", "last_login"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def save_model(self, request, obj, form, change):
        try:
            link = sso.sso_link_register(person=obj.user, provider_id=obj.provider, subject=obj.uid, actor=request.user)
        except MeetingsError as error:
            messages.error(request, str(error))
            return
        obj.pk = link.pk

    def delete_model(self, request, obj):
        sso.sso_link_remove(link=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for link in queryset.select_related("user"):
            sso.sso_link_remove(link=link, actor=request.user)
