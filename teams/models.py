"""The organisation: people, the position ladder, salary grades, teams and dated membership; and state events."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a log-in may do in the app (DOMAIN.md, People and roles)."""

    GENERAL_MANAGER = "general_manager", _("General manager")
    DIRECTOR = "director", _("Sales director")
    MANAGER = "manager", _("Sales manager")
    REP = "rep", _("Sales rep")
    HR = "hr", _("HR")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A log-in. The role decides which pages it reaches; what it sees is decided in access.py."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REP)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Position(models.Model):
    """A rung of the position ladder; `level` orders the ladder (higher is more senior)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    level = models.PositiveSmallIntegerField(_("level"))
    is_management = models.BooleanField(_("management position"), default=False)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class SalaryGrade(models.Model):
    """A pay grade; `level` orders grades, `monthly_base` is the base pay in CNY."""

    code = models.SlugField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.PositiveSmallIntegerField(_("level"))
    monthly_base = models.DecimalField(_("monthly base pay (CNY)"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("salary grade")
        verbose_name_plural = _("salary grades")
        constraints = [
            models.CheckConstraint(condition=Q(monthly_base__gte=0), name="salary_grade_base_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EmployeeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class Employee(models.Model):
    """A person on the payroll, one per log-in. Position and grade live in dated Appointments."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="employee", verbose_name=_("log-in"))
    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    hire_date = models.DateField(_("hire date"))
    probation_end = models.DateField(_("probation end"))
    status = models.CharField(_("status"), max_length=10, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE)
    left_on = models.DateField(_("leaving date"), null=True, blank=True)
    leaving_reason = models.CharField(_("leaving reason"), max_length=200, blank=True)
    # six months before it ends, HR prepares a reserve for the position (the seed's 人才储备)
    contract_end = models.DateField(_("contract ends"), null=True, blank=True)
    # the seed rewards a referral by how long the referred hire stays (rewards' referral rule reads this)
    referred_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="referrals", verbose_name=_("referred by"))

    class Meta:
        ordering = ["employee_number"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.CheckConstraint(condition=Q(probation_end__gte=F("hire_date")), name="probation_ends_after_hire"),
            models.CheckConstraint(
                condition=Q(status="active", left_on__isnull=True)
                | Q(status="left", left_on__isnull=False, left_on__gte=F("hire_date")),
                name="leaving_date_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"


class Appointment(models.Model):
    """From `effective_from` on, the employee holds this position at this grade (任职记录).

    A change of position or grade adds a row; rows are never edited, so the past is kept.
    """

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="appointments")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, verbose_name=_("position"))
    salary_grade = models.ForeignKey(SalaryGrade, on_delete=models.PROTECT, verbose_name=_("salary grade"))
    effective_from = models.DateField(_("effective from"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["employee", "-effective_from"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments (position and grade history)")
        constraints = [
            models.UniqueConstraint(fields=["employee", "effective_from"], name="one_appointment_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name}: {self.position} / {self.salary_grade.code} ({self.effective_from})"


class Team(models.Model):
    """A sales team led by one manager (the relation is this field, not a group)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    manager = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="managed_teams",
        verbose_name=_("manager"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class TeamManagerChange(models.Model):
    """From `effective_on` the team is led by `new_manager` (None: nobody) instead of `old_manager`: who recorded
    it, why, and what caused it (named as state events name their subject, so a higher app's row can be named
    without this app importing it). Written only by services.team_manager_change; never edited."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="manager_changes", verbose_name=_("team"))
    old_manager = models.ForeignKey(Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("previous manager"))
    new_manager = models.ForeignKey(Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("new manager"))
    effective_on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=200)
    source_type = models.CharField(_("caused by"), max_length=100, blank=True)  # "promotions.promotioncase"
    source_id = models.PositiveBigIntegerField(_("caused by (id)"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["team", "-effective_on", "-pk"]
        verbose_name = _("change of team manager")
        verbose_name_plural = _("changes of team manager")
        indexes = [models.Index(fields=["source_type", "source_id"], name="manager_change_source")]
        constraints = [
            models.CheckConstraint(condition=~Q(old_manager=F("new_manager")), name="manager_change_changes"),
        ]

    def __str__(self) -> str:
        old, new = self.old_manager or "—", self.new_manager or "—"
        return f"{self.team} {self.effective_on}: {old} → {new}"


class Membership(models.Model):
    """A rep's membership of a team from `starts_on` to `ends_on` (inclusive; empty = still a member).

    One active team per rep at any date: services.membership_* refuse overlaps, and the partial
    unique constraint below backs the "one open membership" half of that rule in the database.
    """

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("team"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["employee", "starts_on"]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="membership_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["employee"], condition=Q(ends_on__isnull=True), name="one_open_membership_per_employee"
            ),
        ]
        indexes = [models.Index(fields=["team", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.employee.name} @ {self.team} {self.starts_on}–{self.ends_on or ''}"


def membership_during(first: date, last: date | None = None, *, prefix: str = "") -> Q:
    """Return a filter for memberships that include some day of first..last (just `first` when last is None).

    "Was in the team on that date" in one place; `prefix` reaches a membership through a relation
    (e.g. "memberships__").
    """
    last = first if last is None else last
    return Q(**{f"{prefix}starts_on__lte": last}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": first})
    )


class StateEvent(models.Model):
    """One move of anything through its states: who, when, from what, to what, why.

    Written only by transitions.StateMachine.move, one row per move; the history of a subject is one indexed
    query (selectors.events_for). The subject is named by its model label and id, so any app's rows can have events.
    """

    subject_type = models.CharField(_("subject type"), max_length=100)  # the model's label: "kpis.monthclose"
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from state"), max_length=30)
    to_state = models.CharField(_("to state"), max_length=30)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("state event")
        verbose_name_plural = _("state events")
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"], name="state_event_subject_at")]

    def __str__(self) -> str:
        return f"{self.subject_type} #{self.subject_id} {self.action}: {self.from_state} → {self.to_state}"


class AccessEventKind(models.TextChoices):
    """What happened to someone's access (teams/audit.py names each)."""

    LOGIN = "login", _("Log-in")
    LOGIN_FAILED = "login_failed", _("Failed log-in")
    LOCKED_OUT = "locked_out", _("Locked out")
    LOGOUT = "logout", _("Log-out")
    EXPORT = "export", _("Export of personal data")
    ADMIN_CHANGE = "admin_change", _("Change in the admin")
    ACCESS_ENDED = "access_ended", _("Access ended (left the company)")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_USED = "token_used", _("API token used")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")


class AccessEvent(models.Model):
    """One event of access: who (the log-in, or the name tried), when, from where, what. Written only by
    audit.access_event; never edited (the admin lists them read-only)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AccessEventKind.choices)
    # SET_NULL: a log-in deleted later keeps its history, named by `username`
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("log-in"))
    username = models.CharField(_("user name"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        indexes = [models.Index(fields=["kind", "at"], name="access_event_kind_at"),
                   models.Index(fields=["user", "at"], name="access_event_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"


class ApiToken(models.Model):
    """A personal API token for scripts: it acts as its user, with the user's role and scope and nothing more.

    The token itself is shown once when created and never stored: only its SHA-256 is, beside a short prefix that
    tells a user's tokens apart on their page (teams/tokens/services.py makes and checks them).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    secret_hash = models.CharField(_("hashed token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("revoked by"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
