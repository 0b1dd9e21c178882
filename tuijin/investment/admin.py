from django.contrib import admin

from tuijin.investment.models import (
    ClockAlert,
    ClockRules,
    FollowUp,
    Lead,
    PlannedProject,
    PlannedUpdate,
    PlanningCycle,
    StageChange,
)


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ("from_stage", "to_stage", "on", "signing_kind", "evidence", "original_name", "by")
    readonly_fields = fields


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("name", "stage", "unit", "park", "signed_on", "total_investment")
    list_filter = ("stage", "park")
    search_fields = ("name", "investor_name", "credit_code")
    raw_id_fields = ("investor", "project", "leader")
    inlines = [StageChangeInline]


@admin.register(ClockRules)
class ClockRulesAdmin(admin.ModelAdmin):
    list_display = ("zone", "respond_days", "assess_days", "register_days", "start_months")


@admin.register(PlanningCycle)
class PlanningCycleAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "state")


@admin.register(PlannedProject)
class PlannedProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "cycle", "plan_list", "unit", "park", "land_mu")
    list_filter = ("cycle", "plan_list")


admin.site.register(FollowUp)
admin.site.register(ClockAlert)
admin.site.register(PlannedUpdate)
