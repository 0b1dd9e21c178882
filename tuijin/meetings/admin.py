"""Meetings in the admin (L11 part 12): for looking a meeting up and correcting its facts.
Decisions become 督办 items through the meeting page (``services.record_decision``), so they
are shown here read-only."""

from django.contrib import admin

from tuijin.meetings.models import Attendance, Decision, Meeting


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    can_delete = False
    fields = ["number", "text", "item"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "place", "chair"]
    list_filter = ["kind"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["chair", "park", "project"]
    filter_horizontal = ["invited_units"]
    raw_id_fields = ["settled_problems"]
    readonly_fields = ["minutes_kind", "minutes_year", "minutes_number", "minutes_issued_on"]
    exclude = ["version"]
    inlines = [AttendanceInline, DecisionInline]
