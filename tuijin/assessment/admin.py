"""The assessment in the admin site: schemes and the month's records, read and corrected by
administrators (their edits are audited by the models' signals). The workflow itself (compute,
公示, appeals, publishing) runs on the site's pages, through the services."""

from django.contrib import admin

from tuijin.assessment.models import (
    Adjustment,
    Appeal,
    IndicatorScore,
    Instruction,
    LeaderRating,
    Period,
    Revision,
    Scheme,
    UnitScore,
    Veto,
)


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "zone", "unit_class", "version", "effective_from", "created_at"]
    list_filter = ["unit_class"]
    filter_horizontal = ["excluded_units"]


class UnitScoreInline(admin.TabularInline):
    model = UnitScore
    fields = ["unit", "unit_class", "total", "rank", "grade", "on_red_list", "on_black_list"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "zone", "state", "computed_at", "publicity_end", "published_at"]
    list_filter = ["state"]
    readonly_fields = ["schemes", "computed_at", "published_at", "revision"]
    inlines = [UnitScoreInline]


class IndicatorInline(admin.TabularInline):
    model = IndicatorScore
    fields = ["name", "weight", "computed", "score", "summary", "note"]
    readonly_fields = ["name", "weight", "computed", "summary"]
    extra = 0
    can_delete = False


@admin.register(UnitScore)
class UnitScoreAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "total", "rank", "grade", "on_red_list", "on_black_list"]
    list_filter = ["period", "unit_class", "grade"]
    inlines = [IndicatorInline]


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "points", "reason", "entered_by", "entered_at"]
    list_filter = ["period"]


@admin.register(Veto)
class VetoAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "reason", "entered_by"]


@admin.register(LeaderRating)
class LeaderRatingAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "rater", "score"]
    list_filter = ["period"]


@admin.register(Instruction)
class InstructionAdmin(admin.ModelAdmin):
    list_display = ["unit", "leader", "day", "text"]
    raw_id_fields = ["item"]


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["indicator", "filed_by", "filed_at", "status", "decided_by"]
    list_filter = ["status"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["period", "number", "reason", "made_by", "made_at"]
