from django.contrib import admin

from tuijin.worklogs.models import Duty, Exemption


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["person", "since"]
    list_filter = ["person__unit"]
    autocomplete_fields = ["person"]


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ["person", "reason", "start", "end", "note"]
    list_filter = ["reason"]
    autocomplete_fields = ["person"]
