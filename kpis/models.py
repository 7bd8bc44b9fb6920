"""Weekly KPI figures (one row per rep per week), their per-cell audit trail, month locks and customer bases."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teams.models import Employee, Team

from .metrics import ENTERED


class FiguresState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    LOCKED = "locked", _("Locked")


class Channel(models.TextChoices):
    """Where a change came from, for the audit trail."""

    GRID = "grid", _("Entry grid")
    IMPORT = "import", _("Spreadsheet import")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    DEMO = "demo", _("Demo loader")
    SYSTEM = "system", _("System")


class WeeklyFigures(models.Model):
    """A rep's entered KPI figures for one Monday–Sunday week, for the team they were in that week.

    The entered metric columns are added below from the metric registry. `version` grows with every
    save, so a save based on an older version is refused instead of overwriting someone else's.
    """

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="weekly_figures")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="weekly_figures")
    week = models.DateField(_("week (Monday)"))
    state = models.CharField(_("state"), max_length=10, choices=FiguresState.choices, default=FiguresState.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        ordering = ["week", "team", "employee"]
        verbose_name = _("weekly figures")
        verbose_name_plural = _("weekly figures")
        constraints = [
            models.UniqueConstraint(fields=["employee", "week"], name="one_figures_row_per_rep_week"),
            *[models.CheckConstraint(condition=Q(**{f"{m.code}__gte": 0}), name=f"figures_{m.code}_not_negative")
              for m in ENTERED],
        ]
        indexes = [models.Index(fields=["team", "week"])]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.week}"


for _metric in ENTERED:
    WeeklyFigures.add_to_class(_metric.code, _metric.model_field())


class FigureChange(models.Model):
    """One changed cell (or state) of a WeeklyFigures row: who, when, from what, to what, through which channel."""

    figures = models.ForeignKey(WeeklyFigures, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("field"), max_length=40)
    old_value = models.CharField(_("old value"), max_length=40, blank=True)
    new_value = models.CharField(_("new value"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("figure change")
        verbose_name_plural = _("figure changes (audit trail)")
        indexes = [models.Index(fields=["figures", "field"])]

    def __str__(self) -> str:
        return f"{self.figures} {self.field}: {self.old_value} → {self.new_value}"


class MonthClose(models.Model):
    """A calendar month the director closed: its weeks' figures are locked until reopened with a reason.

    Its state moves through kpis.states.MONTH; each close and reopen is a teams StateEvent (who, when, why).
    closed_by, closed_at and reopen_reason mirror the last move for older readers.
    """

    month = models.DateField(_("month"), unique=True)
    closed = models.BooleanField(_("closed"), default=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"))
    reopen_reason = models.CharField(_("reason for reopening"), max_length=300, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("month close")
        verbose_name_plural = _("month closes")
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="month_close_is_a_first")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class CustomerBase(models.Model):
    """A rep's customer base when their figures start being counted (default 0)."""

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="customer_base")
    opening_base = models.PositiveIntegerField(_("opening customer base"), default=0)
    counted_from = models.DateField(_("counted from"))

    class Meta:
        verbose_name = _("customer base")
        verbose_name_plural = _("customer bases")

    def __str__(self) -> str:
        return f"{self.employee.name}: {self.opening_base}"


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
    weeks_reported = models.PositiveSmallIntegerField(default=0)
    weeks_missing = models.PositiveSmallIntegerField(default=0)
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

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

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
