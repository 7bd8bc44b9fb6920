"""Admin screens of rewards. Every row is written by rewards.services (the rules, the events, the frozen rows), so
the admin only lists them: an edit here would skip the checks and leave no event."""

from django.contrib import admin

from targets.admin import ReadOnlyAdmin

from .models import Bulletin, BulletinComment, Notice, NoticeRead, PublishedRanking, Record, RepWeekLine, Rule, RuleRun

# --- the notice board and published rankings ---

class KeptReadOnly(ReadOnlyAdmin):
    """Never deleted either: a notice or a ranking is what was announced."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(KeptReadOnly):
    list_display = ["title", "kind", "pinned", "expires_on", "published_by", "published_at", "withdrawn_at"]
    list_filter = ["kind", "pinned"]
    list_select_related = ["published_by"]
    search_fields = ["title"]
    date_hierarchy = "published_at"


@admin.register(PublishedRanking)
class PublishedRankingAdmin(KeptReadOnly):
    list_display = ["period", "first_month", "show_amounts", "published_by", "published_at", "withdrawn_at",
                    "version"]
    list_select_related = ["published_by"]


@admin.register(NoticeRead)
class NoticeReadAdmin(ReadOnlyAdmin):
    list_display = ["notice", "user", "read_at"]
    list_select_related = ["notice", "user"]



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


# --- the rules that propose (edited on the director's rules page, where every input is checked) ----------------

@admin.register(Rule)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "comparison", "metric", "threshold", "period", "scope", "kind", "method",
                    "amount", "active", "changed_at"]
    list_filter = ["active", "period", "comparison", "kind"]
    search_fields = ["code", "name"]


@admin.register(RuleRun)
class RuleRunAdmin(ReadOnlyAdmin):
    """The runs, pending ones first: what each proposed, withdrew and flagged, or why it still waits."""

    list_display = ["month", "requested_at", "requested_by", "ran_at", "proposed", "withdrawn", "flagged",
                    "waiting_for", "last_error"]
    list_select_related = ["requested_by"]
# --- weekly work bulletins (written on their pages, through rewards.services.bulletins) -------------------------

@admin.register(Bulletin)
class BulletinAdmin(KeptReadOnly):
    list_display = ["team", "week", "month", "written_by", "updated_at", "version"]
    list_filter = ["team"]
    list_select_related = ["team", "written_by"]
    date_hierarchy = "week"


@admin.register(BulletinComment)
class BulletinCommentAdmin(KeptReadOnly):
    list_display = ["bulletin", "kind", "by", "at"]
    list_filter = ["kind"]
    list_select_related = ["bulletin__team", "by"]


@admin.register(RepWeekLine)
class RepWeekLineAdmin(KeptReadOnly):
    list_display = ["employee", "team", "week", "written_at", "version"]
    list_select_related = ["employee", "team"]
    search_fields = ["employee__name"]
