"""Admin screens of the rewards app. Every write goes through rewards.services, so the admin only lists what they
wrote: an edit here would skip the state machine and its events."""

from django.contrib import admin

from targets.admin import ReadOnlyAdmin

from .models import Record

# --- the register (a record is never edited nor deleted; revoking it, on its page, is the only move) ------------

@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "method", "employee", "team", "amount", "period", "first_month", "state",
                    "proposed_at"]
    list_filter = ["state", "kind", "method", "period"]
    list_select_related = ["employee", "team"]
    search_fields = ["employee__name", "employee__employee_number", "team__name", "reason"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
