"""Admin screens for plans and targets. Allocated targets and revisions are read-only: services write them."""

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import (
    CalendarDay,
    CalendarYear,
    Phase,
    PlanMonth,
    PlanYear,
    RepMonthTarget,
    RepWeekTarget,
    RepWeight,
    TargetProposal,
    TargetRevision,
    TeamMonthTarget,
    TeamWeight,
)
from .resources import CalendarDayResource


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services write: visible, searchable, never edited by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(ImportExportModelAdmin):
    resource_classes = [CalendarDayResource]
    list_display = ["day", "kind", "name", "source"]
    list_filter = ["source", "kind", "day"]
    search_fields = ["name"]
    date_hierarchy = "day"
    readonly_fields = ["source"]

    def save_model(self, request, obj, form, change) -> None:
        # A day added or changed here is the company's: reloading the statutory calendar keeps it.
        obj.source = CalendarDay.Source.COMPANY
        super().save_model(request, obj, form, change)


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    """The years whose statutory days `manage.py calendar_sync` loaded."""

    list_display = ["year", "source", "loaded_at"]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PlanMonthInline(admin.TabularInline):
    model = PlanMonth
    extra = 0
    can_delete = False
    fields = ["month", "phase", "deposit_target"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # targets change through the plan page, which records revisions


@admin.register(PlanYear)
class PlanYearAdmin(admin.ModelAdmin):
    list_display = ["name", "first_month", "status", "approved_by", "approved_at", "version"]
    list_filter = ["status"]
    search_fields = ["name"]
    readonly_fields = ["status", "approved_by", "approved_at", "version"]
    inlines = [PhaseInline, PlanMonthInline]


@admin.register(TargetRevision)
class TargetRevisionAdmin(ReadOnlyAdmin):
    list_display = ["plan_month", "old_target", "new_target", "reason", "revised_by", "revised_at"]
    list_filter = ["plan_month__plan"]
    search_fields = ["reason"]


@admin.register(TargetProposal)
class TargetProposalAdmin(ReadOnlyAdmin):
    list_display = ["plan_month", "team", "proposed_target", "proposed_by", "proposed_at", "decision", "decided_by"]
    list_filter = ["decision", "team", "plan_month__plan"]


@admin.register(TeamWeight)
class TeamWeightAdmin(ReadOnlyAdmin):
    list_display = ["plan_month", "team", "weight"]
    list_filter = ["team", "plan_month__plan"]


@admin.register(RepWeight)
class RepWeightAdmin(ReadOnlyAdmin):
    list_display = ["plan_month", "team", "employee", "weight"]
    list_filter = ["team", "plan_month__plan"]
    search_fields = ["employee__name"]


@admin.register(TeamMonthTarget)
class TeamMonthTargetAdmin(ReadOnlyAdmin):
    list_display = ["plan_month", "team", "deposit_target"]
    list_filter = ["team", "plan_month__plan", "plan_month"]


@admin.register(RepMonthTarget)
class RepMonthTargetAdmin(ReadOnlyAdmin):
    list_display = ["plan_month", "team", "employee", "deposit_target"]
    list_filter = ["team", "plan_month__plan", "plan_month"]
    search_fields = ["employee__name", "employee__employee_number"]


@admin.register(RepWeekTarget)
class RepWeekTargetAdmin(ReadOnlyAdmin):
    list_display = ["week", "team", "employee", "deposit_target"]
    list_filter = ["team", "plan_month__plan", "plan_month"]
    search_fields = ["employee__name", "employee__employee_number"]
    date_hierarchy = "week"


@admin.register(Phase)
class PhaseAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "name"]
    list_filter = ["plan"]


@admin.register(PlanMonth)
class PlanMonthAdmin(ReadOnlyAdmin):
    list_display = ["plan", "month", "phase", "deposit_target"]
    list_filter = ["plan", "phase"]
