"""Appraisal cycles and their appraisals: goals, frozen KPI snapshots, anonymous feedback, ratings, uses.

An appraisal moves through appraisals.states.APPRAISAL (the HR plan's forms, in order); every move is a teams
StateEvent, so "who did what when" is its history, not a column. Ratings are levels 1–5 on a fixed order; the
labels are data HR may edit (RatingLevel). See docs/appraisals.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from targets.models import PlanYear
from teams.models import Employee, Team


class Level(models.IntegerChoices):
    """The rating scale's fixed order (5 is best). The words shown for each are RatingLevel rows."""

    EXCELLENT = 5, _("Excellent")
    GOOD = 4, _("Good")
    SATISFACTORY = 3, _("Satisfactory")
    NEEDS_IMPROVEMENT = 2, _("Needs improvement")
    UNSATISFACTORY = 1, _("Unsatisfactory")


# The scale's words until HR changes them (the migration writes the same rows): also what a page shows for a level
# whose row is missing, so no rating is ever shown without a word.
DEFAULT_LABELS = {5: ("优秀", "Excellent"), 4: ("良好", "Good"), 3: ("合格", "Satisfactory"),
                  2: ("待改进", "Needs improvement"), 1: ("不合格", "Unsatisfactory")}


class RatingLevel(models.Model):
    """The label HR gives a level of the scale (优秀, 良好, 合格, 待改进, 不合格 by default); the order is fixed."""

    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, unique=True)
    label_zh = models.CharField(_("Chinese label"), max_length=20)
    label_en = models.CharField(_("English label"), max_length=40)

    class Meta:
        ordering = ["-level"]
        verbose_name = _("rating label")
        verbose_name_plural = _("rating labels")

    def __str__(self) -> str:
        return self.label_zh


class CycleKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly (a phase)")
    HALF_YEAR = "half_year", _("Half-year (two phases)")
    ANNUAL = "annual", _("Annual")


class Cycle(models.Model):
    """An appraisal round HR opens over some months of a plan year, for all of sales or chosen teams."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CycleKind.choices)
    plan = models.ForeignKey(PlanYear, on_delete=models.PROTECT, related_name="appraisal_cycles",
                             verbose_name=_("plan year"))
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    # empty: all of sales
    teams = models.ManyToManyField(Team, blank=True, related_name="appraisal_cycles", verbose_name=_("teams"))
    with_feedback = models.BooleanField(_("anonymous feedback"), default=False)
    # the goals every appraisal starts with: [{"metric": "total_deposits", "weight": 70}, ...], weights sum to 100
    goal_metrics = models.JSONField(_("goal metrics and weights"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))

    class Meta:
        ordering = ["-first_month", "name"]
        verbose_name = _("appraisal cycle")
        verbose_name_plural = _("appraisal cycles")
        constraints = [
            models.CheckConstraint(condition=Q(first_month__day=1, last_month__day=1), name="cycle_months_are_firsts"),
            models.CheckConstraint(condition=Q(last_month__gte=F("first_month")), name="cycle_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Step(models.TextChoices):
    """The appraisal's states, in the HR plan's order (data collection is automatic, between 2 and 3)."""

    GOALS = "goals", _("Goals")
    SELF_REVIEW = "self_review", _("Self review")
    FEEDBACK = "feedback", _("Anonymous feedback")
    VERIFICATION = "verification", _("Verification")
    RATING = "rating", _("Rating")
    CONFIRMATION = "confirmation", _("Employee confirmation")
    DISPUTED = "disputed", _("Disagreement")
    CONFIRMED = "confirmed", _("Confirmed")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StepDeadline(models.Model):
    """The day by which an appraisal of the cycle should have left this step."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="deadlines")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["cycle", "due_on"]
        constraints = [models.UniqueConstraint(fields=["cycle", "step"], name="one_deadline_per_cycle_step")]

    def __str__(self) -> str:
        return f"{self.cycle} {self.step}: {self.due_on}"


class Appraisal(models.Model):
    """One person's appraisal in a cycle. `version` grows with every act, so a stale act is refused."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="appraisals")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="appraisals")
    # the team the appraisal counts for: where the employee spent most of the period (a manager's: their team)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="appraisals")
    is_manager = models.BooleanField(_("manager's appraisal"), default=False)  # verified and rated by the director
    rater = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="appraisals_to_rate",
                              verbose_name=_("rater"))
    state = models.CharField(_("step"), max_length=20, choices=Step.choices, default=Step.GOALS)
    version = models.PositiveIntegerField(_("version"), default=1)
    self_review = models.TextField(_("self review and work report"), blank=True)
    snapshot_at = models.DateTimeField(_("figures collected at"), null=True, blank=True)
    score = models.DecimalField(_("weighted score"), max_digits=4, decimal_places=2, null=True, blank=True)
    computed_rating = models.PositiveSmallIntegerField(_("computed rating"), choices=Level.choices, null=True,
                                                       blank=True)
    rating = models.PositiveSmallIntegerField(_("overall rating"), choices=Level.choices, null=True, blank=True)
    rater_comment = models.TextField(_("rater's comment"), blank=True)
    # required when the overall rating is two or more levels from the computed one
    rating_reason = models.TextField(_("reason for the overall rating"), blank=True)
    disagreement = models.TextField(_("employee's disagreement"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "team", "employee"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="one_appraisal_per_cycle_employee"),
            models.CheckConstraint(condition=~Q(rater=F("employee")), name="appraisal_not_rated_by_self"),
        ]
        indexes = [models.Index(fields=["employee", "state"]), models.Index(fields=["rater", "state"])]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.employee.name}"


class Goal(models.Model):
    """A KPI goal of an appraisal: a metric of the registry, its target for the period and its weight.

    Frozen once the rater confirms the goals; `actual` is the figure collected from the rollups, frozen with it.
    """

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="goals")
    metric = models.CharField(_("metric"), max_length=40)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=2, null=True, blank=True)
    self_rating = models.PositiveSmallIntegerField(_("self rating"), choices=Level.choices, null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices, null=True, blank=True)

    class Meta:
        ordering = ["appraisal", "position"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "metric"], name="one_goal_per_metric"),
            models.CheckConstraint(condition=Q(weight__lte=100), name="goal_weight_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal}: {self.metric} ({self.weight} %)"


class FeedbackRequest(models.Model):
    """Anonymous feedback HR asks of someone about an appraisee. Only HR ever sees `giver` beside the answer."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="feedback")
    giver = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="feedback_asked")
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["appraisal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "giver"], name="one_feedback_request_per_giver"),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal} ← #{self.giver_id}"


class Condition(models.TextChoices):
    """The five conditions of the annual ability evaluation (年度员工能力评价表), which the promotion review uses."""

    SKILLS = "skills", _("Skills for the higher position")
    EXPERIENCE = "experience", _("Experience")
    CONDUCT = "conduct", _("Conduct")
    CONTRIBUTION = "contribution", _("Contribution")
    POTENTIAL = "potential", _("Adaptability and potential")


class AbilityScore(models.Model):
    """One condition of an annual appraisal's ability evaluation: a score 1–5 and the rater's comment."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="ability_scores")
    condition = models.CharField(_("condition"), max_length=20, choices=Condition.choices)
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["appraisal", "condition"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "condition"], name="one_score_per_condition"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="ability_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal}: {self.condition} {self.score}"


class Reminder(models.Model):
    """A reminder sent to whoever held an appraisal past a step's deadline: one per appraisal, step and person."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "step", "to"], name="one_reminder_per_step_and_person"),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal}: {self.step} → #{self.to_id}"


class Use(models.TextChoices):
    PROMOTION = "promotion", _("Promotion")
    ELIMINATION = "elimination", _("Bottom elimination")
    REWARD = "reward", _("Reward or penalty")
    PAY = "pay", _("Pay")


class AppraisalUse(models.Model):
    """Where a published result was used (考评结论的运用): by which decision, recorded by the app that used it."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="uses")
    use = models.CharField(_("used for"), max_length=20, choices=Use.choices)
    reference = models.CharField(_("where"), max_length=200)  # e.g. "promotions.case #12"
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "use", "reference"], name="one_use_per_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal}: {self.use} ({self.reference})"
