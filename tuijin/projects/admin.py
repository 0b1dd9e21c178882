from django.contrib import admin

from tuijin.projects.models import (
    AnnualPlan,
    Approval,
    ApprovalType,
    Enterprise,
    IndustryTag,
    Milestone,
    ProgressReport,
    Project,
)


class AnnualPlanInline(admin.TabularInline):
    model = AnnualPlan
    extra = 0


class ApprovalInline(admin.TabularInline):
    model = Approval
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "park", "unit", "stage", "light"]
    list_filter = ["park", "stage", "light", "category", "key_level"]
    search_fields = ["code", "name", "search_text"]
    autocomplete_fields = ["enterprises", "leaders"]
    filter_horizontal = ["tags"]
    readonly_fields = ["light", "light_reasons"]
    inlines = [AnnualPlanInline, ApprovalInline, MilestoneInline]
    list_select_related = ["park", "unit"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "park", "unit", "is_key", "liaison"]
    list_filter = ["is_key", "park"]
    search_fields = ["name", "credit_code", "search_text"]
    autocomplete_fields = ["leaders", "liaison"]


@admin.register(ApprovalType)
class ApprovalTypeAdmin(admin.ModelAdmin):
    """The 前期手续 checklist: admins add, reorder or retire entries."""

    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["project", "period_start", "progress", "investment", "submitted_at"]
    list_filter = ["period_start"]
    search_fields = ["project__name"]
    raw_id_fields = ["project"]


admin.site.register(IndustryTag)
