"""What every app's admin shares: history is read-only in the admin.

Events, signatures, feedback and published records change only through the services, which record, audit and
notify; the admin shows them for lookup and search.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for lookup and search; changed only through the services (so every change is recorded)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline:
    """An inline that shows history and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
