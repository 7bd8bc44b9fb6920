"""Promotion paths and their requirements, training, candidate rounds, and promotion cases from nomination to
dated history (the seed, section 七; DOMAIN.md "Promotion").

Eligibility is decided by promotions.calculations (pure) from a person's dated history, published appraisal
results and training; this module only stores the inputs HR sets and the decisions people take. A case moves
through promotions.states.CASE, each move a teams StateEvent. See docs/promotions.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from appraisals.models import Appraisal, Level
from teams.models import Appointment, Employee, Position, SalaryGrade, Team


class Ladder(models.Model):
    """A career ladder (职位序列): the rep ladder, the manager ladder. A lateral move switches ladders."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ladder")
        verbose_name_plural = _("ladders")

    def __str__(self) -> str:
        return self.name


class Rung(models.Model):
    """A position's place on its ladder (a position is on one ladder)."""

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="rungs")
    position = models.OneToOneField(Position, on_delete=models.CASCADE, related_name="rung")
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["ladder", "order"]
        constraints = [models.UniqueConstraint(fields=["ladder", "order"], name="one_position_per_rung")]

    def __str__(self) -> str:
        return f"{self.ladder}: {self.order} {self.position}"


class RatedBy(models.TextChoices):
    MANAGER = "manager", _("the department manager")
    DIRECTOR = "director", _("the sales director")


class PathStep(models.Model):
    """One step up HR allows from a position to the next (one step at a time; anything else is special)."""

    from_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="steps_up")
    to_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="steps_from")

    class Meta:
        ordering = ["from_position__level", "to_position__level"]
        constraints = [
            models.UniqueConstraint(fields=["from_position", "to_position"], name="one_path_step_per_pair"),
            models.CheckConstraint(condition=~Q(from_position=F("to_position")), name="path_step_changes_position"),
        ]

    def __str__(self) -> str:
        return f"{self.from_position} → {self.to_position}"


class StepRequirement(models.Model):
    """What a step up requires from `valid_from` on (rows are added, never edited: the rules have history)."""

    step = models.ForeignKey(PathStep, on_delete=models.CASCADE, related_name="requirements")
    valid_from = models.DateField(_("valid from"))
    months_in_position = models.PositiveSmallIntegerField(_("months in the position after probation"))
    rating = models.PositiveSmallIntegerField(_("latest rating at least"), choices=Level.choices,
                                              default=Level.EXCELLENT)
    rated_by = models.CharField(_("rated by"), max_length=10, choices=RatedBy.choices, default=RatedBy.MANAGER)
    training_hours = models.DecimalField(_("training hours"), max_digits=6, decimal_places=1, default=0)
    exam_score = models.DecimalField(_("exam score at least"), max_digits=5, decimal_places=1, null=True,
                                     blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["step", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["step", "valid_from"], name="one_requirement_per_step_and_day"),
            models.CheckConstraint(condition=Q(training_hours__gte=0), name="requirement_hours_not_negative"),
            models.CheckConstraint(condition=Q(exam_score__isnull=True) | Q(exam_score__gte=0, exam_score__lte=100),
                                   name="requirement_exam_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.step} from {self.valid_from}"


# The seed's ten course types (section 三), as migration 0002 writes them; the demo makes sure they are there.
SEED_COURSES = [
    ("industry", "行业背景", "Industry background"), ("product", "产品知识", "Product knowledge"),
    ("phone_sales", "电话销售", "Phone sales"), ("online_sales", "网络销售", "Online sales"),
    ("communication", "沟通技巧", "Communication"), ("closing", "逼单技巧", "Closing"),
    ("mindset", "销售心态", "Sales mindset"), ("customer_care", "客户维护", "Customer care"),
    ("customer_upgrade", "客户升级", "Customer upgrade"), ("culture", "企业文化", "Company culture"),
]


class CourseType(models.Model):
    """One of the seed's ten course types (industry background, product knowledge, phone sales, …)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("course type")
        verbose_name_plural = _("course types")

    def __str__(self) -> str:
        return self.name


class TrainingSession(models.Model):
    """A course held on a day for some hours."""

    course = models.ForeignKey(CourseType, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    has_exam = models.BooleanField(_("with an exam"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "course"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.UniqueConstraint(fields=["course", "title", "held_on"], name="one_session_per_course_title_day"),
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="session_hours_0_to_24"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class Attendance(models.Model):
    """Someone attended a session (its hours count) and, where it had an exam, their score."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="training")
    exam_score = models.DecimalField(_("exam score"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["session", "employee"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "employee"], name="one_attendance_per_session"),
            models.CheckConstraint(condition=Q(exam_score__isnull=True) | Q(exam_score__gte=0, exam_score__lte=100),
                                   name="attendance_exam_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.employee}"


class ReservePoolRule(models.Model):
    """The manager reserve pool's rule: rated excellent in at least `excellent_in` of the last `cycles` (one row)."""

    excellent_in = models.PositiveSmallIntegerField(_("excellent in at least"), default=2)
    cycles = models.PositiveSmallIntegerField(_("of the last cycles"), default=3)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), null=True)

    class Meta:
        verbose_name = _("reserve pool rule")
        constraints = [models.CheckConstraint(condition=Q(excellent_in__lte=F("cycles")), name="pool_n_of_m")]

    def __str__(self) -> str:
        return f"{self.excellent_in} / {self.cycles}"


class CandidateRound(models.Model):
    """The year-end round: on `build_on` a scheduled task lists everyone eligible, once, and tells HR."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    build_on = models.DateField(_("built on"))
    horizon_months = models.PositiveSmallIntegerField(_("also eligible within (months)"), default=3)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("HR notified at"), null=True, blank=True)

    class Meta:
        ordering = ["-build_on"]
        verbose_name = _("candidate round")
        verbose_name_plural = _("candidate rounds")

    def __str__(self) -> str:
        return self.name


class RoundCandidate(models.Model):
    """Who the round found, for which position, and why (the engine's checks, as the page showed them)."""

    round = models.ForeignKey(CandidateRound, on_delete=models.CASCADE, related_name="candidates")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    to_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    eligible_from = models.DateField(_("eligible from"))
    reasons = models.JSONField(_("reasons"))  # [{"rule": ..., "met": ..., "text": ...}]

    class Meta:
        ordering = ["round", "eligible_from", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["round", "employee", "to_position"], name="one_round_entry_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.employee} → {self.to_position}"


class CaseKind(models.TextChoices):
    """The seed's three kinds of promotion, the lateral move, and what follows bottom elimination."""

    UP_POSITION_AND_SALARY = "up_both", _("Position and salary up")
    UP_POSITION = "up_position", _("Position up, salary the same")
    UP_SALARY = "up_salary", _("Position the same, salary up")
    LATERAL = "lateral", _("Lateral move")
    DEVELOPMENT = "development", _("Move or training (development plan)")
    DEMOTION = "demotion", _("Demotion")
    RELEASE = "release", _("Release")


class CaseState(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    WITH_DIRECTOR = "with_director", _("Waiting for the director")
    WITH_GENERAL_MANAGER = "with_gm", _("Waiting for the general manager (special approval)")
    APPROVED = "approved", _("Approved")
    IN_DEVELOPMENT = "in_development", _("Development plan running")
    APPLIED = "applied", _("Applied")
    # a development plan ends one way or the other (a demotion or release case follows the second)
    CLOSED_IMPROVED = "closed_improved", _("Closed: improved")
    CLOSED_NOT_IMPROVED = "closed_not_improved", _("Closed: not improved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PromotionCase(models.Model):
    """A nomination and what became of it. `version` grows with every act, so a stale act is refused.

    Applying writes the new appointment (position and/or salary grade) into the employee's dated history through
    teams.services, once: `applied_appointment` is set by the move to `applied`.
    """

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="promotion_cases")
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.NOMINATED)
    version = models.PositiveIntegerField(_("version"), default=1)
    from_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    to_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    from_grade = models.ForeignKey(SalaryGrade, on_delete=models.PROTECT, related_name="+")
    to_grade = models.ForeignKey(SalaryGrade, on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField(_("effective on"))
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why"))
    # the engine's verdict at review: met → the director decides; not met → special approval by the GM
    rules_met = models.BooleanField(_("rules met"), null=True)
    unmet_rules = models.JSONField(_("rules not met"), default=list, blank=True)
    special_reason = models.TextField(_("reason for special approval"), blank=True)
    # HR's checklist: {"checklist": {condition: {"score": 1–5, "comment": ...}}, "prefilled_from": appraisal id},
    # prefilled from the annual ability evaluation
    review = models.JSONField(_("HR's review"), default=dict, blank=True)
    # the seed's early promotion out of probation: HR records at review that the department recommends it, and the
    # engine then does not exclude probation from the time in position
    early_recommended = models.BooleanField(_("early promotion out of probation recommended"), default=False)
    source_appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("from the appraisal"))
    follows = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="followed_by",
                                verbose_name=_("follows the case"))
    # a case into the team-lead position: the team the nominee will lead, and the manager they replace (applying
    # the case makes them the team's manager through teams.services.team_manager_change)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("team to lead"))
    replaces_manager = models.ForeignKey(Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("replaces the manager"))
    plan_text = models.TextField(_("development plan"), blank=True)
    review_on = models.DateField(_("review the plan on"), null=True, blank=True)
    decision_comment = models.TextField(_("decision"), blank=True)
    applied_appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="promotion_case")

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("promotion case")
        verbose_name_plural = _("promotion cases")
        indexes = [models.Index(fields=["state", "effective_on"]), models.Index(fields=["employee", "state"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.employee}: {self.from_position} → {self.to_position}"
