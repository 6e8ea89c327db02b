"""Workplace visits in the admin: settings may be helped with; bookings, events and feedback are history, changed only
through the services (a cancellation here goes through ``visit_cancel``: the place is freed, everyone told)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import dates
from core.admin import ReadOnlyAdmin, ReadOnlyInline
from meetings.errors import MeetingsError
from meetings.models import (
    CalendarFeedToken,
    User,
    Visit,
    VisitEvent,
    VisitFeedback,
    VisitOffer,
    VisitParticipant,
    VisitSettings,
    VisitSlot,
    WaitlistEntry,
    WorkplaceTie,
)

from . import services
from .exports import visits_csv
from .forms import ReasonForm
from .selectors import visits_with_details


@admin.register(VisitSettings)
class VisitSettingsAdmin(admin.ModelAdmin):
    """How a workplace receives visits: settings, not history, so the secretariat may help a leader here."""

    list_display = ["workplace", "auto_confirm", "monthly_cap", "booking_notice_days", "cancel_notice_days"]
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


class VisitParticipantInline(ReadOnlyInline, admin.TabularInline):
    model = VisitParticipant
    extra = 0
    fields = ["person"]


class VisitEventInline(ReadOnlyInline, admin.TabularInline):
    model = VisitEvent
    extra = 0
    fields = ["created_at", "actor", "action", "from_status", "to_status", "note"]


@admin.action(description=_("Export the selected visits as CSV"))
def export_visits_csv(modeladmin, request, queryset):
    """The same file as the secretariat's export page (translated headers, formula cells neutralised)."""
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
                    services.visit_cancel(visit=visit, actor=request.user, reason=form.cleaned_data["reason"])
                except MeetingsError as error:
                    when = dates.when(visit.starts_at, "datetime_short")
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


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    """Who waits for a time where, and what was held for them: a politician joins and leaves, the services hold,
    book and lapse; the secretariat only reads it."""

    list_display = ["workplace", "person", "status", "held_time", "hold_until", "created_at"]
    list_filter = ["status", ("workplace", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["person__full_name", "person__email"]
    fields = ["workplace", "person", "status", "created_at", "held_time", "offered_at", "hold_until", "closed_at"]
    readonly_fields = ["held_time"]
    list_select_related = ["workplace", "person", "offered_slot"]
    date_hierarchy = "created_at"

    @admin.display(description=_("time held"), ordering="offered_slot__starts_at")
    def held_time(self, entry):
        slot = entry.offered_slot
        return dates.when(slot.starts_at, "datetime_short") if slot else None


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
        count = sum(services.calendar_token_revoke(person=person, actor=request.user) for person in people)
        self.message_user(
            request,
            ngettext(
                "%(count)d calendar address no longer works.", "%(count)d calendar addresses no longer work.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
