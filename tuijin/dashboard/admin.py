from django.contrib import admin

from tuijin.dashboard.models import WeeklyReport


@admin.register(WeeklyReport)
class WeeklyReportAdmin(admin.ModelAdmin):
    list_display = ("week", "zone", "number", "sent_at", "updated_at")
    list_filter = ("zone",)
    readonly_fields = ("created_at", "updated_at", "sent_at")
