"""Park reviews in the admin: for looking a review up and keeping the award kinds. Scores and
awards are written by the review's pages (``services``), so they are shown read-only."""

from django.contrib import admin

from tuijin.parkreview.models import (
    Award,
    AwardKind,
    Criterion,
    Evaluator,
    ParkEntry,
    ParkReview,
    ScoreSheet,
    Stop,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class EvaluatorInline(admin.TabularInline):
    model = Evaluator
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(ParkReview)
class ParkReviewAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "quarter", "tour_date", "state"]
    list_filter = ["state", "year"]
    search_fields = ["title"]
    exclude = ["version"]
    readonly_fields = ["state", "published_at"]
    inlines = [CriterionInline, EvaluatorInline]


@admin.register(ParkEntry)
class ParkEntryAdmin(admin.ModelAdmin):
    list_display = ["review", "park", "position", "final", "rank"]
    list_filter = ["review"]
    readonly_fields = ["objective", "subjective", "final", "rank", "figures", "pledge_item"]


@admin.register(Stop)
class StopAdmin(admin.ModelAdmin):
    list_display = ["review", "entry", "project", "position", "arrive_at", "minutes"]
    list_filter = ["review"]
    autocomplete_fields = ["project"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(admin.ModelAdmin):
    list_display = ["entry", "evaluator", "total", "submitted_at"]
    list_filter = ["entry__review"]
    readonly_fields = ["entry", "evaluator", "points", "stop_notes", "remark", "total"]
    exclude = ["version"]

    def has_add_permission(self, request):
        return False


@admin.register(AwardKind)
class AwardKindAdmin(admin.ModelAdmin):
    list_display = ["name", "given_to", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["review", "kind", "entry"]
    list_filter = ["kind"]
    readonly_fields = ["review", "kind", "entry"]

    def has_add_permission(self, request):
        return False
