"""django-celery-beat's lists with column headers in Danish: two of its columns are properties whose names cannot be
translated ("Scheduler", "Human readable"); these admins show them under translatable names (docs/danish.md)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import CrontabSchedule, PeriodicTask


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule", "interval", "start_time", "last_run_at", "one_off")

    @admin.display(description=_("schedule"))
    def schedule(self, obj):
        return obj.scheduler


class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    list_display = ("__str__", "readable")

    @admin.display(description=_("in words"))
    def readable(self, obj):
        return obj.human_readable


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, PeriodicTaskAdmin)
admin.site.unregister(CrontabSchedule)
admin.site.register(CrontabSchedule, CrontabScheduleAdmin)
