from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from core.admin import LabelledTabularInline, ReadOnlyAdmin
from core.audit import audit_record

from . import services, sso
from .errors import MeetingsError
from .models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    NoticeDigest,
    NoticePreference,
    User,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
)


class MembershipInline(LabelledTabularInline):
    model = CommitteeMembership
    extra = 0
    autocomplete_fields = ["user", "committee"]


class WorkplaceRoleInline(LabelledTabularInline):
    model = WorkplaceRole
    extra = 0
    autocomplete_fields = ["user", "workplace"]


class BlackoutInline(LabelledTabularInline):
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
        (None, {"fields": ("email", "full_name", "language", "password")}),
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

    list_display = ["person", "type", "created", "last_used"]
    list_filter = ["type"]
    search_fields = ["user__full_name", "user__email"]
    fields = ["person", "type", "created", "last_used"]
    readonly_fields = fields

    # allauth's fields have no translatable names; these columns give them Danish ones (docs/danish.md).
    @admin.display(description=_("person"), ordering="user__full_name")
    def person(self, obj):
        return obj.user

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at

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
    list_display = ["person", "provider_name", "uid", "email_at_provider", "date_joined", "last_login"]
    search_fields = ["user__full_name", "user__email", "uid"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]

    @admin.display(description=_("person"), ordering="user__full_name")
    def person(self, obj):
        return obj.user

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


@admin.register(NoticePreference)
class NoticePreferenceAdmin(ReadOnlyAdmin):
    """A person's own choices, set on their page »Mine beskeder«; shown here for support questions."""

    list_display = ("person", "channel", "choice", "changed_at")
    list_filter = ("channel", "choice")
    search_fields = ("person__full_name", "person__email")


@admin.register(NoticeDigest)
class NoticeDigestAdmin(ReadOnlyAdmin):
    """The weekly digests sent, with the items each held."""

    list_display = ("person", "since", "until")
    search_fields = ("person__full_name", "person__email")
