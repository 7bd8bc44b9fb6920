"""Admin screens for cycles and appraisals: read-only. Every change goes through appraisals.services (the pages and
the API), so a state is never set by hand and every move keeps its event."""

from django.contrib import admin

from kpis.admin import AuditAdmin as ServiceRowsAdmin  # listed, never added, changed or deleted by hand

from .models import (
    AbilityScore,
    Appraisal,
    AppraisalUse,
    Cycle,
    FeedbackRequest,
    Goal,
    RatingLevel,
    Reminder,
    StepDeadline,
)


class GoalInline(admin.TabularInline):
    model = Goal
    fields = ["metric", "weight", "target", "actual", "self_rating", "rating"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Cycle)
class CycleAdmin(ServiceRowsAdmin):
    list_display = ["name", "kind", "first_month", "last_month", "with_feedback", "status", "opened_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name"]


@admin.register(Appraisal)
class AppraisalAdmin(ServiceRowsAdmin):
    list_display = ["cycle", "employee", "team", "rater", "state", "rating", "version"]
    list_filter = ["state", "cycle", "is_manager"]
    list_select_related = ["cycle", "employee", "team", "rater"]
    search_fields = ["employee__name", "rater__name"]
    inlines = [GoalInline]


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(ServiceRowsAdmin):
    # the admin is HR's and the administrator's: they may see the givers
    list_display = ["appraisal", "giver", "answered_at"]
    list_select_related = ["appraisal__cycle", "appraisal__employee", "giver"]


@admin.register(StepDeadline)
class StepDeadlineAdmin(ServiceRowsAdmin):
    list_display = ["cycle", "step", "due_on"]
    list_select_related = ["cycle"]


@admin.register(AbilityScore)
class AbilityScoreAdmin(ServiceRowsAdmin):
    list_display = ["appraisal", "condition", "score"]
    list_select_related = ["appraisal__cycle", "appraisal__employee"]


@admin.register(Reminder)
class ReminderAdmin(ServiceRowsAdmin):
    list_display = ["appraisal", "step", "to", "sent_at"]
    list_select_related = ["appraisal__cycle", "appraisal__employee", "to"]


@admin.register(AppraisalUse)
class AppraisalUseAdmin(ServiceRowsAdmin):
    list_display = ["appraisal", "use", "reference", "by", "at"]
    list_select_related = ["appraisal__cycle", "appraisal__employee", "by"]


@admin.register(RatingLevel)
class RatingLevelAdmin(ServiceRowsAdmin):
    list_display = ["level", "label_zh", "label_en"]


@admin.register(Goal)
class GoalAdmin(ServiceRowsAdmin):
    list_display = ["appraisal", "metric", "weight", "target", "actual", "rating"]
    list_select_related = ["appraisal__cycle", "appraisal__employee"]
