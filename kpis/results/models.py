"""The results computed from the weekly figures: monthly rep, team and company rollups, team weeks, placings,
the elimination rule and each month's freshness. They live in kpis' sub-package but keep the kpis app label
and tables."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teams.models import Employee, Team

from ..metrics import ENTERED


class RollupFields(models.Model):
    """What every monthly result holds: entered sums, the derived metrics, the target and weeks counted."""

    month = models.DateField(_("month"))
    deposit_target = models.BigIntegerField(_("deposit target (CNY)"), null=True)
    total_deposits = models.DecimalField(_("total deposits"), max_digits=16, decimal_places=2, default=0)
    attainment = models.DecimalField(_("attainment"), max_digits=12, decimal_places=6, null=True)
    customer_base = models.PositiveIntegerField(_("customer base at the start"), null=True)
    customer_growth_rate = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    performance_growth_rate = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    performance_growth_yoy = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    close_rate = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    # summed over every rep for the company: 10,000 reps report 50,000 weeks in a month
    weeks_reported = models.PositiveIntegerField(default=0)
    weeks_missing = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        abstract = True


class RepMonthResult(RollupFields):
    """A rep's month in one team (a rep who moved has a row per team), with ranks in team and company."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="month_results")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rep_month_results")
    rank_in_team = models.PositiveSmallIntegerField(null=True)
    rank_in_company = models.PositiveSmallIntegerField(null=True)

    class Meta:
        ordering = ["month", "team", "employee"]
        constraints = [models.UniqueConstraint(fields=["month", "employee", "team"], name="one_rep_result_per_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.employee.name}"


class TeamMonthResult(RollupFields):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="month_results")
    rank = models.PositiveSmallIntegerField(null=True)

    class Meta:
        ordering = ["month", "team"]
        constraints = [models.UniqueConstraint(fields=["month", "team"], name="one_team_result_per_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.team}"


class CompanyMonthResult(RollupFields):
    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["month"], name="one_company_result_per_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


for _metric in ENTERED:
    for _model in (RepMonthResult, TeamMonthResult, CompanyMonthResult):
        _model.add_to_class(_metric.code, models.DecimalField(_metric.label_en, max_digits=16, decimal_places=2,
                                                              default=0))


class RollupMonth(models.Model):
    """Whether a month's rollups are current: `requested_at` after `computed_at` means a run is pending."""

    month = models.DateField(_("month"), unique=True)
    requested_at = models.DateTimeField(null=True)
    computed_at = models.DateTimeField(null=True)
    # While pending: None means the whole month must be recomputed; a list of team ids means only those teams'
    # weekly figures changed, so the run rewrites their rows and re-ranks the rest in place.
    stale_teams = models.JSONField(null=True, blank=True, default=None)
    # The first request not yet computed: what "recalculating since" shows (requested_at moves with every save).
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True)
    # The lease of a run (kpis/results/sweep.py): who took the month and until when no other run may take it.
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    run_started_at = models.DateTimeField(_("last run started"), null=True, blank=True)
    run_finished_at = models.DateTimeField(_("last run finished"), null=True, blank=True)
    # Failed runs since the last one that succeeded, the last error, and when the sweep may try again.
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        ordering = ["month"]
        verbose_name = _("rollup month")
        verbose_name_plural = _("rollup months")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def failed(self) -> bool:
        return self.pending and self.attempts > 0

    @property
    def pending(self) -> bool:
        return self.requested_at is not None and (self.computed_at is None or self.requested_at > self.computed_at)


class PeriodPlacing(models.Model):
    """A rep's place in a month's or a phase's (the plan's quarters) company ranking, and whether it flags them."""

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        PHASE = "phase", _("Phase")

    period = models.CharField(max_length=10, choices=Period.choices)
    first_month = models.DateField(_("first month"))
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="placings")
    rank = models.PositiveSmallIntegerField(null=True)  # None: left out, see `excluded`
    excluded = models.CharField(max_length=20, blank=True)
    attainment = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    total_deposits = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    flagged = models.BooleanField(default=False)
    consecutive = models.PositiveSmallIntegerField(default=0)
    on_probation = models.BooleanField(default=False)

    class Meta:
        ordering = ["period", "first_month", "rank"]
        constraints = [models.UniqueConstraint(fields=["period", "first_month", "employee"],
                                               name="one_placing_per_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.first_month:%Y-%m} {self.employee.name} #{self.rank}"


class PlacedPeriod(models.Model):
    """The months a period's stored placings sum: its first month through `through` (a phase counts its begun
    months). A save's re-ranking moves the stored placings only while they sum the months it places (bands.py)."""

    period = models.CharField(max_length=10, choices=PeriodPlacing.Period.choices)
    first_month = models.DateField(_("first month"))
    through = models.DateField(_("through"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "first_month"], name="one_placed_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.first_month:%Y-%m}–{self.through:%Y-%m}"


class EliminationRule(models.Model):
    """The director's bottom-elimination setting: bottom N reps or bottom X % (one row)."""

    bottom_count = models.PositiveSmallIntegerField(_("bottom N reps"), null=True, blank=True)
    bottom_percent = models.DecimalField(_("bottom X %"), max_digits=5, decimal_places=2, default=10)
    warn_after = models.PositiveSmallIntegerField(_("consecutive periods before a warning"), default=2)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), null=True)

    class Meta:
        verbose_name = _("bottom elimination rule")
        verbose_name_plural = _("bottom elimination rule")
        constraints = [models.CheckConstraint(condition=Q(bottom_percent__gte=0, bottom_percent__lte=100),
                                              name="bottom_percent_is_a_percentage")]

    def __str__(self) -> str:
        return f"bottom {self.bottom_count or f'{self.bottom_percent}%'}"


class TeamWeekResult(models.Model):
    """A team's deposits in one week (the pace charts read these, not the raw figures)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="week_results")
    week = models.DateField(_("week (Monday)"))
    month = models.DateField(_("month"))
    total_deposits = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    accounts_opened = models.PositiveIntegerField(default=0)
    reps_reported = models.PositiveSmallIntegerField(default=0)
    deposit_target = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["week", "team"]
        constraints = [models.UniqueConstraint(fields=["team", "week"], name="one_team_result_per_week")]

    def __str__(self) -> str:
        return f"{self.week} {self.team}"


class RollupCheck(models.Model):
    """One nightly comparison of every stored rollup column with check_rollups' plain recount."""

    checked_at = models.DateTimeField(_("checked at"))
    differences = models.PositiveIntegerField(_("differences"), default=0)
    report = models.TextField(_("report"), blank=True)  # the command's output, first lines

    class Meta:
        ordering = ["-checked_at"]
        verbose_name = _("rollup check")
        verbose_name_plural = _("rollup checks")

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {self.differences}"
