"""The register of rewards and penalties, the rules that propose them, the notice board, published rankings and
the two-way work bulletins (the seed, sections 八 and 九; DOMAIN.md "Rewards and penalties").

A record moves through rewards.states.RECORD, each move a teams StateEvent (who proposed, approved, published or
revoked it and when); a published record is never edited or deleted, only revoked with a reason. Rules only
propose: `proposal_key` makes a second evaluation of the same period propose nothing twice. See docs/rewards.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kpis.metrics import BY_CODE
from promotions.models import PromotionCase
from teams.models import Employee, Team


class Kind(models.TextChoices):
    REWARD = "reward", _("Reward")
    PENALTY = "penalty", _("Penalty")


class Method(models.TextChoices):
    NOTICE = "notice", _("Public notice")
    CASH = "cash", _("Cash")
    POSITION = "position", _("Position up or down")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    PHASE = "phase", _("Phase")
    NONE = "none", _("No period")


class RecordState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("record state", "Proposed")
    WITH_HR = "with_hr", _("Waiting for HR")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")
    REVOKED = "revoked", _("Revoked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Comparison(models.TextChoices):
    TOP = "top", _("Top N")  # threshold: N (ties at the N-th place all qualify)
    AT_LEAST = "gte", _("At least")  # threshold in the metric's unit (attainment: percent, 120 = 120 %)
    AT_MOST = "lte", _("At most")
    BOTTOM = "bottom", _("On the bottom-elimination list")  # the elimination rule decides; no threshold
    REFERRAL = "referral", _("Referred hire stayed N months")  # threshold: months in the company


class Scope(models.TextChoices):
    REP = "rep", _("Each rep")
    TEAM = "team", _("Each team")


class Rule(models.Model):
    """A rule the director edits that proposes records when a month or phase is closed (results are final)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)  # part of every proposal_key it makes
    name = models.CharField(_("name"), max_length=100)
    metric = models.CharField(_("metric"), max_length=40, blank=True)  # a kpis.metrics code, or "attainment"
    comparison = models.CharField(_("comparison"), max_length=10, choices=Comparison.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=16, decimal_places=2, null=True, blank=True)
    period = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.MONTH)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.REP)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.PositiveIntegerField(_("amount (CNY)"), null=True, blank=True)
    # "{name}" "{period}" "{value}" "{rank}" are filled in; the proposal's reason
    text_template = models.CharField(_("text"), max_length=300)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("reward rule")
        verbose_name_plural = _("reward rules")
        constraints = [
            models.CheckConstraint(condition=~Q(method="cash") | Q(amount__gt=0), name="cash_rule_has_amount"),
            models.CheckConstraint(condition=Q(method="cash") | Q(amount__isnull=True),
                                   name="only_cash_rule_has_amount"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def metric_label(self) -> str:
        """Return the metric's name in the reader's language (the registry's label), or nothing."""
        return BY_CODE[self.metric].label if self.metric in BY_CODE else ""


class RuleRun(models.Model):
    """The rules' evaluation of one closed month (and of its phase when it is the phase's last): requested when the
    month closes, done once the month's rollups are current. A pending run is picked up by the sweep (tasks.py), so
    a broker outage or a lost worker delays the proposals and never loses them."""

    month = models.DateField(_("month"), unique=True)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))  # whose name the proposals' events carry
    # The request an evaluation covered (a later request means it is due again), and when it actually ran.
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    ran_at = models.DateTimeField(_("ran at"), null=True, blank=True)
    proposed = models.PositiveIntegerField(_("proposed"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    flagged = models.PositiveIntegerField(_("flagged for review"), default=0)
    waiting_for = models.CharField(_("waiting for"), max_length=200, blank=True)  # why it has not run yet
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("rules run")
        verbose_name_plural = _("rules runs")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def pending(self) -> bool:
        return self.evaluated_at is None or self.requested_at > self.evaluated_at


class Record(models.Model):
    """One reward or penalty for one employee or one whole team, from proposal to publication or revocation."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="reward_records", verbose_name=_("employee"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="reward_records", verbose_name=_("team"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.PositiveIntegerField(_("amount (CNY)"), null=True, blank=True)  # whole yuan, cash only
    reason = models.TextField(_("reason"))
    period = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.NONE)
    first_month = models.DateField(_("first month"), null=True, blank=True)  # as in kpis PeriodPlacing
    # where it comes from results: the rule, the metric and the figures it saw (frozen at evaluation)
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, null=True, blank=True, related_name="records")
    metric = models.CharField(_("metric"), max_length=40, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    proposal_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    # a change of position is a promotion or demotion case, linked, never copied
    promotion_case = models.ForeignKey(PromotionCase, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="reward_records")
    state = models.CharField(_("state"), max_length=10, choices=RecordState.choices, default=RecordState.PROPOSED)
    version = models.PositiveIntegerField(default=1)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("proposed by"))  # None: a rule proposed it
    proposed_at = models.DateTimeField(_("proposed at"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    hr_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("approved by HR"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason revoked"), blank=True)
    # a re-closed month no longer supports an approved record: flagged for a person, never changed by the rules
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("reward or penalty")
        verbose_name_plural = _("rewards and penalties")
        constraints = [
            models.CheckConstraint(condition=Q(employee__isnull=True) ^ Q(team__isnull=True),
                                   name="record_for_employee_or_team"),
            models.CheckConstraint(condition=~Q(method="cash") | Q(amount__gt=0), name="cash_record_has_amount"),
            models.CheckConstraint(condition=Q(method="cash") | Q(amount__isnull=True),
                                   name="only_cash_record_has_amount"),
            models.CheckConstraint(condition=~Q(reason=""), name="record_has_reason"),
            models.CheckConstraint(condition=Q(period="none") | Q(first_month__isnull=False),
                                   name="record_period_has_month"),
            models.CheckConstraint(condition=~Q(state="revoked") | ~Q(revoke_reason=""),
                                   name="revoked_record_has_reason"),
        ]
        indexes = [models.Index(fields=["state", "first_month"], name="record_state_month"),
                   models.Index(fields=["employee", "first_month"], name="record_employee_month")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class NoticeKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    REWARD = "reward", _("Reward")
    PENALTY = "penalty", _("Penalty")
    RANKING = "ranking", _("Ranking")


class PublishedRanking(models.Model):
    """A month's or phase's ranking as the director published it: the rows frozen, so a later recompute does not
    change what was announced (a republish after a re-close replaces the rows and bumps the version)."""

    period = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    first_month = models.DateField(_("first month"))
    show_amounts = models.BooleanField(_("show amounts"), default=False)
    rows = models.JSONField(_("rows"), default=list)  # [{rank, employee_id, name, team, attainment, deposits?}]
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-first_month", "period"]
        verbose_name = _("published ranking")
        verbose_name_plural = _("published rankings")
        constraints = [models.UniqueConstraint(fields=["period", "first_month"], name="one_ranking_per_period"),
                       models.CheckConstraint(condition=~Q(period="none"), name="ranking_has_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.first_month:%Y-%m}"


class Notice(models.Model):
    """A notice (通告) on the board: a published record, a published ranking, or an announcement the director
    or HR wrote. Pinned notices come first; an expired or withdrawn one leaves the board but is kept."""

    kind = models.CharField(_("kind"), max_length=15, choices=NoticeKind.choices, default=NoticeKind.ANNOUNCEMENT)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), blank=True)
    record = models.OneToOneField(Record, on_delete=models.PROTECT, null=True, blank=True, related_name="notice")
    ranking = models.OneToOneField(PublishedRanking, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="notice")
    pinned = models.BooleanField(_("pinned"), default=False)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-pinned", "-published_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["withdrawn_at", "published_at"], name="notice_board_order")]

    def __str__(self) -> str:
        return self.title


class NoticeRead(models.Model):
    """That this user has read this notice (unread = no row)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="one_read_per_notice_and_user")]

    def __str__(self) -> str:
        return f"{self.notice_id} read by {self.user_id}"


class Bulletin(models.Model):
    """A manager's weekly bulletin for their team (工作通报, up): what went well, what is hard, what help they need,
    written beside the week's figures. Once the week's month is closed it is annotated, not rewritten."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="bulletins", verbose_name=_("team"))
    week = models.DateField(_("week (Monday)"))
    month = models.DateField(_("month"))  # the month the week counts in (kpis' rule), for the close check
    went_well = models.TextField(_("what went well"), blank=True)
    hard = models.TextField(_("what is hard"), blank=True)
    help_needed = models.TextField(_("help needed"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("written by"))
    written_at = models.DateTimeField(_("written at"))
    updated_at = models.DateTimeField(_("updated at"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-week", "team"]
        verbose_name = _("weekly bulletin")
        verbose_name_plural = _("weekly bulletins")
        constraints = [models.UniqueConstraint(fields=["team", "week"], name="one_bulletin_per_team_week")]

    def __str__(self) -> str:
        return f"{self.team} {self.week}"


class BulletinComment(models.Model):
    """The director's reply to a bulletin, or the manager's annotation of a bulletin whose month is closed."""

    class CommentKind(models.TextChoices):
        REPLY = "reply", _("Reply")
        ANNOTATION = "annotation", _("Annotation")

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(_("kind"), max_length=12, choices=CommentKind.choices)
    text = models.TextField(_("text"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="bulletin_comment_has_text")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.bulletin_id}"


class RepWeekLine(models.Model):
    """A rep's line on their own week, which their manager sees beside the team's bulletin."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="week_lines")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="rep_week_lines")
    week = models.DateField(_("week (Monday)"))
    text = models.TextField(_("text"))
    written_at = models.DateTimeField(_("written at"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-week", "employee"]
        constraints = [models.UniqueConstraint(fields=["employee", "week"], name="one_line_per_rep_week"),
                       models.CheckConstraint(condition=~Q(text=""), name="rep_week_line_has_text")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.week}"
