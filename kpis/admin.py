"""Admin screens for weekly figures and their audit trail, month closes and customer bases.

Weekly figures are saved through services.weekly_figures_save (channel "admin"), so the admin obeys the same
rules as the grid and records the same audit rows. The audit trail and month closes are read-only here:
the services write them (months close and reopen on the director's page).
"""

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from targets.admin import ReadOnlyAdmin
from teams import access, inputs
from teams.errors import DomainError

from . import metrics, services
from .models import Channel, CustomerBase, FigureChange, MonthClose, WeeklyFigures
from .results import services as rollups
from .results import sweep
from .results.models import (
    CompanyMonthResult,
    EliminationRule,
    PeriodPlacing,
    PlacedPeriod,
    RepMonthResult,
    RollupCheck,
    RollupMonth,
    TeamMonthResult,
    TeamWeekResult,
)


class AuditAdmin(ReadOnlyAdmin):
    """Audit and computed rows: read-only, and not deletable either, so the trail cannot be lost."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _Refused(Exception):
    """The service refused the save; carries its error back to the change form."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.message)
        self.error = error


class WeeklyFiguresForm(forms.ModelForm):
    # The version the admin user opened, so a save over someone else's newer figures is refused, not applied.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    refusal: DomainError | None = None  # set when the form is shown again after the service refused it

    class Meta:
        model = WeeklyFigures
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version
        # Figures are typed text read by services.parse_value, as in the grid: 12万, full-width digits and the
        # column's own limits, instead of the model form's number fields with rules of their own.
        for m in metrics.ENTERED:
            if m.code in self.fields:
                self.fields[m.code] = forms.CharField(label=self.fields[m.code].label, required=False,
                                                      max_length=inputs.MAX_NUMBER_CHARS)

    def clean(self) -> dict:
        data = super().clean()
        for m in metrics.ENTERED:
            if m.code in data:
                try:
                    data[m.code] = services.parse_value(m, data[m.code])
                except ValueError as error:
                    self.add_error(m.code, str(error))
        if isinstance(self.refusal, services.FiguresRefused):
            for cell in self.refusal.errors:
                self.add_error(cell.field if cell.field in self.fields else None, cell.message)
        elif isinstance(self.refusal, services.StaleFigures):
            self.add_error(None, self.refusal.message)
            for conflict in self.refusal.conflicts:
                for label, theirs, yours in conflict.differences:
                    self.add_error(None, _("%(metric)s: %(name)s saved %(theirs)s, you entered %(yours)s.") % {
                        "metric": label, "name": conflict.saved_by, "theirs": theirs, "yours": yours})
        elif self.refusal is not None:
            field = self.refusal.field if self.refusal.field in self.fields else None
            self.add_error(field, self.refusal.message)
        return data


AUDIT_FIELDS = ["employee", "team", "week", "state", "version", "entered_by", "entered_at", "audit_trail"]


@admin.register(WeeklyFigures)
class WeeklyFiguresAdmin(admin.ModelAdmin):
    form = WeeklyFiguresForm
    list_display = ["week", "team", "employee", "state", "version", "entered_by", "entered_at"]
    list_filter = ["state", "team", "week"]
    list_select_related = ["team", "employee", "entered_by"]
    search_fields = ["employee__name", "employee__employee_number", "team__name"]
    date_hierarchy = "week"
    autocomplete_fields = ["employee"]

    def get_fields(self, request: HttpRequest, obj: WeeklyFigures | None = None) -> list[str]:
        codes = [m.code for m in metrics.ENTERED]
        if obj is None:
            return ["employee", "week", *codes]  # the service finds the rep's team that week
        return [*AUDIT_FIELDS[:5], "seen_version", *codes, *AUDIT_FIELDS[5:]]

    def get_readonly_fields(self, request: HttpRequest, obj: WeeklyFigures | None = None) -> list[str]:
        # A row's rep and week are its identity; state moves only by submitting and closing months.
        return [] if obj is None else AUDIT_FIELDS

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting a row would delete its audit trail with it

    def get_form(self, request: HttpRequest, obj: WeeklyFigures | None = None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_figures_refusal", None)
        return type(form.__name__, (form,), {"refusal": refusal}) if refusal else form

    def changeform_view(self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
                        extra_context: dict | None = None) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            # save_model runs after the form was judged valid, so the admin cannot show the service's reasons
            # by itself: its transaction has rolled back; show the same post again with them on the form.
            request._figures_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: WeeklyFigures, form: WeeklyFiguresForm, change: bool) -> None:
        values = {m.code: form.cleaned_data[m.code] for m in metrics.ENTERED if m.code in form.cleaned_data}
        version = form.cleaned_data.get("seen_version") if change else None
        row = services.RepWeekInput(employee_id=obj.employee_id, values=values, version=version)
        try:
            services.weekly_figures_save(week=obj.week, rows=[row], by=request.user, channel=Channel.ADMIN)
        except DomainError as error:
            raise _Refused(error) from error
        obj.pk = WeeklyFigures.objects.values_list("pk", flat=True).get(employee_id=obj.employee_id, week=obj.week)
        obj.refresh_from_db()

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj: WeeklyFigures) -> str:
        changes = obj.changes.select_related("changed_by")[:50]
        if not changes:
            return "—"
        cells = "<td>{}</td>" * 7
        head = format_html(f"<tr>{cells.replace('td', 'th')}</tr>", _("changed at"), _("field"), _("old value"),
                           _("new value"), _("channel"), _("changed by"), _("reason"))
        rows = format_html_join("", f"<tr>{cells}</tr>", (
            (f"{timezone.localtime(c.changed_at):%Y-%m-%d %H:%M}", c.field, c.old_value, c.new_value,
             c.get_channel_display(), c.changed_by.username, c.reason) for c in changes))
        return format_html("<table><thead>{}</thead><tbody>{}</tbody></table>", head, rows)


@admin.register(FigureChange)
class FigureChangeAdmin(AuditAdmin):
    list_display = ["changed_at", "figures", "field", "old_value", "new_value", "channel", "changed_by", "reason"]
    list_filter = ["channel", "field", "changed_at"]
    list_select_related = ["figures__employee", "changed_by"]
    search_fields = ["figures__employee__name", "figures__employee__employee_number", "reason"]
    date_hierarchy = "changed_at"


@admin.register(MonthClose)
class MonthCloseAdmin(AuditAdmin):
    list_display = ["month", "closed", "closed_by", "closed_at", "reopen_reason"]
    list_filter = ["closed"]
    list_select_related = ["closed_by"]


@admin.register(CustomerBase)
class CustomerBaseAdmin(admin.ModelAdmin):
    list_display = ["employee", "opening_base", "counted_from"]
    list_select_related = ["employee"]
    search_fields = ["employee__name", "employee__employee_number"]
    autocomplete_fields = ["employee"]
    date_hierarchy = "counted_from"


class ResultAdmin(AuditAdmin):
    """Rollup rows are computed by kpis/rollups.py: visible and searchable here, never edited by hand."""

    date_hierarchy = "month"


@admin.register(RepMonthResult)
class RepMonthResultAdmin(ResultAdmin):
    list_display = ["month", "team", "employee", "deposit_target", "total_deposits", "attainment", "rank_in_team",
                    "rank_in_company", "weeks_missing"]
    list_filter = ["team", "month"]
    search_fields = ["employee__name", "employee__employee_number"]


@admin.register(TeamMonthResult)
class TeamMonthResultAdmin(ResultAdmin):
    list_display = ["month", "team", "deposit_target", "total_deposits", "attainment", "rank", "weeks_missing"]
    list_filter = ["team", "month"]


@admin.register(CompanyMonthResult)
class CompanyMonthResultAdmin(ResultAdmin):
    list_display = ["month", "deposit_target", "total_deposits", "attainment", "weeks_reported", "weeks_missing"]


@admin.register(TeamWeekResult)
class TeamWeekResultAdmin(ResultAdmin):
    list_display = ["week", "team", "deposit_target", "total_deposits", "reps_reported"]
    list_filter = ["team", "month"]


class StaleFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("stale", _("Stale")), ("failed", _("Failed")), ("current", _("Current"))]

    def queryset(self, request, queryset):
        stale = queryset.filter(pk__in=sweep.stale_months().values("pk"))
        if self.value() == "stale":
            return stale
        if self.value() == "failed":
            return stale.filter(attempts__gt=0)
        if self.value() == "current":
            return queryset.exclude(pk__in=stale.values("pk"))
        return queryset


@admin.register(RollupMonth)
class RollupMonthAdmin(ResultAdmin):
    """Which months are stale, the last run of each (who, when, how many failed attempts, the error); the action
    queues a recompute of the chosen months that starts at once. The status page shows the same for the director."""

    list_display = ["month", "pending", "computed_at", "stale_since", "run_started_at", "run_finished_at",
                    "claimed_by", "claimed_until", "attempts", "retry_at", "error"]
    list_filter = [StaleFilter]
    actions = ["queue_recompute"]

    @admin.display(description=_("last error"))
    def error(self, obj: RollupMonth) -> str:
        return obj.last_error[:120]

    def has_recompute_permission(self, request: HttpRequest) -> bool:
        return access.may_see_rollup_status(access.principal(request))

    @admin.action(description=_("Queue a recompute of the selected months"), permissions=["recompute"])
    def queue_recompute(self, request: HttpRequest, queryset) -> None:
        months = list(queryset.values_list("month", flat=True))
        rollups.rollups_retry_now(months)
        self.message_user(request, ngettext("A recompute of %(count)d month is queued.",
                                            "A recompute of %(count)d months is queued.", len(months))
                          % {"count": len(months)})


@admin.register(RollupCheck)
class RollupCheckAdmin(AuditAdmin):
    """The nightly check_rollups runs: how many differences each found, and its report."""

    list_display = ["checked_at", "differences"]
    list_filter = ["differences"]
    date_hierarchy = "checked_at"


@admin.register(PeriodPlacing)
class PeriodPlacingAdmin(ResultAdmin):
    date_hierarchy = "first_month"
    list_display = ["period", "first_month", "rank", "employee", "attainment", "flagged", "consecutive",
                    "on_probation", "excluded"]
    list_filter = ["period", "flagged", "on_probation", "first_month"]
    search_fields = ["employee__name", "employee__employee_number"]


@admin.register(PlacedPeriod)
class PlacedPeriodAdmin(ResultAdmin):
    date_hierarchy = "first_month"
    list_display = ["period", "first_month", "through"]
    list_filter = ["period"]


@admin.register(EliminationRule)
class EliminationRuleAdmin(admin.ModelAdmin):
    list_display = ["bottom_count", "bottom_percent", "warn_after", "changed_by", "changed_at"]
    readonly_fields = ["changed_by", "changed_at"]
