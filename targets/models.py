"""The plan: plan years, phases, months with deposit targets, the working calendar and the splits.

Amounts are whole yuan. Phase and year totals are never stored: they are sums of the months.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from teams.models import Employee, Team


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a public holiday, or a weekend make-up working day (调休).

    Statutory days come from the official arrangement (targets.calendar_cn); a company day is one the company
    added or overrode in the admin, and a reload of the statutory days leaves it as it is.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        MAKEUP = "makeup", _("Make-up working day")

    class Source(models.TextChoices):
        STATUTORY = "statutory", _("Statutory")
        COMPANY = "company", pgettext_lazy("calendar day source", "Company")

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.COMPANY)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("working calendar")

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """A year whose statutory holidays and make-up days are loaded: plan months in other years warn."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=50)  # package and release, e.g. "chinesecalendar 1.11.0"
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class PlanYear(models.Model):
    """Twelve consecutive months from `first_month`; draft until the director or general manager approves.

    The status moves through targets.states.PLAN, each move a teams StateEvent; approved_by/approved_at mirror it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    name = models.CharField(_("name"), max_length=50, unique=True)
    first_month = models.DateField(_("first month"), help_text=_("The first day of the plan's first month."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)  # bumped by every change: stale edits are refused
    # Who made the change that bumped the version, so a stale edit can say whose change it missed.
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("last changed by"))
    changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True)

    class Meta:
        ordering = ["-first_month"]
        verbose_name = _("plan year")
        verbose_name_plural = _("plan years")
        constraints = [models.CheckConstraint(condition=Q(first_month__day=1), name="plan_starts_on_a_first")]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    """A named run of consecutive months of a plan (阶段)."""

    plan = models.ForeignKey(PlanYear, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_phase_number_per_plan")]

    def __str__(self) -> str:
        return self.name


class PlanMonth(models.Model):
    """One month of a plan with the company's deposit target (入金量, whole yuan)."""

    plan = models.ForeignKey(PlanYear, on_delete=models.CASCADE, related_name="months")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="months")
    month = models.DateField(_("month"))
    deposit_target = models.PositiveBigIntegerField(_("deposit target (CNY)"))

    class Meta:
        ordering = ["month"]
        verbose_name = _("plan month")
        verbose_name_plural = _("plan months")
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="one_row_per_plan_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="plan_month_is_a_first"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.month:%Y-%m}"


class TargetRevision(models.Model):
    """A change to an approved plan's month target: who, when, why, from what to what."""

    plan_month = models.ForeignKey(PlanMonth, on_delete=models.CASCADE, related_name="revisions")
    old_target = models.PositiveBigIntegerField(_("old target"))
    new_target = models.PositiveBigIntegerField(_("new target"))
    reason = models.CharField(_("reason"), max_length=300)
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revised_at = models.DateTimeField(_("revised at"), auto_now_add=True)

    class Meta:
        ordering = ["-revised_at"]
        verbose_name = _("target revision")
        verbose_name_plural = _("target revisions")

    def __str__(self) -> str:
        return f"{self.plan_month}: {self.old_target} → {self.new_target}"



class TeamWeight(models.Model):
    """The director's weight for a team in a month, replacing the default (its reps present that month)."""

    plan_month = models.ForeignKey(PlanMonth, on_delete=models.CASCADE, related_name="team_weights")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    weight = models.DecimalField(_("weight"), max_digits=15, decimal_places=3)

    class Meta:
        verbose_name = _("team weight")
        verbose_name_plural = _("team weights")
        constraints = [
            models.UniqueConstraint(fields=["plan_month", "team"], name="one_team_weight_per_month"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="team_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_month} {self.team}: {self.weight}"



class RepWeight(models.Model):
    """The manager's weight for a rep in a month (e.g. a ramp on probation); the default is 1."""

    plan_month = models.ForeignKey(PlanMonth, on_delete=models.CASCADE, related_name="rep_weights")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3)

    class Meta:
        verbose_name = _("rep weight")
        verbose_name_plural = _("rep weights")
        constraints = [
            models.UniqueConstraint(fields=["plan_month", "team", "employee"], name="one_rep_weight_per_month"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="rep_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_month} {self.employee}: {self.weight}"



class TeamMonthTarget(models.Model):
    """A team's share of a plan month, as last allocated."""

    plan_month = models.ForeignKey(PlanMonth, on_delete=models.CASCADE, related_name="team_targets")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="month_targets")
    deposit_target = models.PositiveBigIntegerField(_("deposit target (CNY)"))

    class Meta:
        ordering = ["plan_month", "team"]
        constraints = [models.UniqueConstraint(fields=["plan_month", "team"], name="one_team_target_per_month")]

    def __str__(self) -> str:
        return f"{self.plan_month} {self.team}: {self.deposit_target}"



class RepMonthTarget(models.Model):
    """A rep's share of their team's month target (a rep who moved has one row per team)."""

    plan_month = models.ForeignKey(PlanMonth, on_delete=models.CASCADE, related_name="rep_targets")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="month_targets")
    deposit_target = models.PositiveBigIntegerField(_("deposit target (CNY)"))

    class Meta:
        ordering = ["plan_month", "team", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["plan_month", "team", "employee"], name="one_rep_target_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_month} {self.employee}: {self.deposit_target}"



class RepWeekTarget(models.Model):
    """A rep's target for one Monday–Sunday week, split from their month target by working days."""

    plan_month = models.ForeignKey(PlanMonth, on_delete=models.CASCADE, related_name="rep_week_targets")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="week_targets")
    week = models.DateField(_("week (Monday)"))
    deposit_target = models.PositiveBigIntegerField(_("deposit target (CNY)"))

    class Meta:
        ordering = ["week", "team", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["team", "employee", "week"], name="one_rep_target_per_week"),
        ]
        indexes = [models.Index(fields=["employee", "week"])]

    def __str__(self) -> str:
        return f"{self.week} {self.employee}: {self.deposit_target}"



class TargetProposal(models.Model):
    """A manager's bottom-up proposal (由下而上) for the team's month target, and the director's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        KEPT_TOP_DOWN = "kept_top_down", _("Top-down split kept")
        SUPERSEDED = "superseded", _("Superseded by a later proposal")

    plan_month = models.ForeignKey(PlanMonth, on_delete=models.CASCADE, related_name="proposals")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="target_proposals")
    proposed_target = models.PositiveBigIntegerField(_("proposed target (CNY)"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decision = models.CharField(_("decision"), max_length=15, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        # Every proposal is kept; the newest per team and month is the one the director decides on.
        ordering = ["plan_month", "team", "-proposed_at"]
        verbose_name = _("target proposal")
        verbose_name_plural = _("target proposals")

    def __str__(self) -> str:
        return f"{self.plan_month} {self.team}: {self.proposed_target} ({self.decision})"
