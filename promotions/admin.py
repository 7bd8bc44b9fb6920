"""Admin screens for paths and training. Ladders and course types are set up here (no service writes them); steps,
requirements, sessions and attendance are written by HR's pages through promotions.services, so the admin only
lists them: an edit here would skip the rules (and a requirement row is never edited, only followed by a new one)."""

from django.contrib import admin

from targets.admin import ReadOnlyAdmin

from .models import Attendance, CourseType, Ladder, PathStep, Rung, StepRequirement, TrainingSession


class ReadOnly(ReadOnlyAdmin):
    """Never deleted either: a step, a requirement or an attendance row is what decisions were taken on."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RungInline(admin.TabularInline):
    model = Rung
    extra = 0
    ordering = ["order"]


@admin.register(Ladder)
class LadderAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    inlines = [RungInline]


@admin.register(CourseType)
class CourseTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]


@admin.register(PathStep)
class PathStepAdmin(ReadOnly):
    list_display = ["from_position", "to_position"]
    list_select_related = ["from_position", "to_position"]


@admin.register(StepRequirement)
class StepRequirementAdmin(ReadOnly):
    list_display = ["step", "valid_from", "months_in_position", "rating", "rated_by", "training_hours", "exam_score",
                    "changed_by", "changed_at"]
    list_select_related = ["step__from_position", "step__to_position", "changed_by"]
    date_hierarchy = "valid_from"


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnly):
    list_display = ["held_on", "course", "title", "hours", "has_exam", "recorded_by"]
    list_filter = ["course", "has_exam"]
    list_select_related = ["course", "recorded_by"]
    search_fields = ["title"]
    date_hierarchy = "held_on"


@admin.register(Attendance)
class AttendanceAdmin(ReadOnly):
    list_display = ["session", "employee", "exam_score"]
    list_select_related = ["session", "employee"]
    search_fields = ["employee__name", "employee__employee_number", "session__title"]
