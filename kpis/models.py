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
        # by week: a month's rollups read its weeks' rows of every team
        indexes = [models.Index(fields=["team", "week"]), models.Index(fields=["week"], name="figures_by_week")]

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


# The results' models live in their sub-package; importing them here registers them with the kpis app.
from .results import models as _results  # noqa: E402, F401
