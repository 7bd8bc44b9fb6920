"""The results API's output: a rep's, team's or company's month as the
dashboards show it, each row saying whether its month's figures are current or being recalculated.

Every entered metric comes from `metrics.ENTERED`, read when a serializer is built (a new registry entry shows up
without an edit). A row's freshness is its month's (kpis.results.selectors.freshness_by_month), looked up in the
serializer's context, which the list fills once per page.
"""

from rest_framework import serializers

from teams.rest.serializers import NamedSerializer

from .. import metrics
from .selectors import CURRENT, RECALCULATING, Freshness

FRESHNESS_STATES = [CURRENT, RECALCULATING]  # also the schema's name for them (SPECTACULAR_SETTINGS)


class FreshnessSerializer(serializers.Serializer):
    """Whether figures are final: "recalculating" since when (and a failed recompute's next try), or "current"."""

    state = serializers.ChoiceField(choices=FRESHNESS_STATES)
    computed_at = serializers.DateTimeField(allow_null=True)
    recalculating_since = serializers.DateTimeField(source="stale_since", allow_null=True)
    failed_at = serializers.DateTimeField(allow_null=True)
    retry_at = serializers.DateTimeField(allow_null=True)


class MonthFreshnessSerializer(FreshnessSerializer):
    """The freshness of the row's month, from the context's {month: Freshness}."""

    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, row) -> dict:
        return super().to_representation(self.context["freshness"].get(row.month) or Freshness(computed_at=None))


def _decimal(places: int, **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=places, read_only=True, **kwargs)


class RollupSerializer(serializers.Serializer):
    """What every month result holds: the month, its target, each entered metric summed, the derived metrics."""

    month = serializers.DateField()
    deposit_target = serializers.IntegerField(allow_null=True)
    total_deposits = _decimal(2)
    attainment = _decimal(6, allow_null=True)
    customer_base = serializers.IntegerField(allow_null=True)
    customer_growth_rate = _decimal(6, allow_null=True)
    performance_growth_rate = _decimal(6, allow_null=True)
    performance_growth_yoy = _decimal(6, allow_null=True)
    close_rate = _decimal(6, allow_null=True)
    weeks_reported = serializers.IntegerField()
    weeks_missing = serializers.IntegerField()
    computed_at = serializers.DateTimeField()
    freshness = MonthFreshnessSerializer()

    def get_fields(self) -> dict[str, serializers.Field]:
        declared = super().get_fields()
        head = {name: declared.pop(name) for name in self.head}
        entered = {m.code: _decimal(2) for m in metrics.ENTERED}
        return {**head, **entered, **declared}

    head: tuple[str, ...] = ("month",)


class RepResultSerializer(RollupSerializer):
    head = ("id", "month", "employee", "team")
    id = serializers.IntegerField(source="pk")
    employee = NamedSerializer()
    team = NamedSerializer()
    rank_in_team = serializers.IntegerField(allow_null=True)
    rank_in_company = serializers.IntegerField(allow_null=True)


class TeamResultSerializer(RollupSerializer):
    head = ("id", "month", "team")
    id = serializers.IntegerField(source="pk")
    team = NamedSerializer()
    rank = serializers.IntegerField(allow_null=True)


class CompanyResultSerializer(RollupSerializer):
    head = ("id", "month")
    id = serializers.IntegerField(source="pk")


# --- the rollups' status page and the bottom-elimination rule -----------------------------------------------------


class RollupMonthSerializer(serializers.Serializer):
    """One month's rollups as the status page shows them: waiting, held by a run, failed; the last run."""

    month = serializers.DateField(source="state.month")
    stale = serializers.BooleanField()
    claimed = serializers.BooleanField()
    failed = serializers.BooleanField()
    stale_since = serializers.DateTimeField(source="state.stale_since", allow_null=True)
    computed_at = serializers.DateTimeField(source="state.computed_at", allow_null=True)
    claimed_by = serializers.CharField(source="state.claimed_by")
    claimed_until = serializers.DateTimeField(source="state.claimed_until", allow_null=True)
    run_started_at = serializers.DateTimeField(source="state.run_started_at", allow_null=True)
    run_finished_at = serializers.DateTimeField(source="state.run_finished_at", allow_null=True)
    attempts = serializers.IntegerField(source="state.attempts")
    last_error = serializers.CharField(source="state.last_error")
    retry_at = serializers.DateTimeField(source="state.retry_at", allow_null=True)


class RollupCheckSerializer(serializers.Serializer):
    checked_at = serializers.DateTimeField()
    differences = serializers.IntegerField()
    report = serializers.CharField()


class RollupStatusSerializer(serializers.Serializer):
    """Every month's rollups, latest first, whether all are current, and the last nightly check."""

    all_current = serializers.BooleanField()
    months = RollupMonthSerializer(many=True)
    last_check = RollupCheckSerializer(allow_null=True)


class EliminationRuleInput(serializers.Serializer):
    """Bottom N reps, or else (null or no N) the bottom X %; after how many periods in a row a warning."""

    bottom_count = serializers.IntegerField(allow_null=True, required=False, default=None, min_value=0,
                                            max_value=32767)
    bottom_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, required=False,
                                              default=None, min_value=0, max_value=100)
    warn_after = serializers.IntegerField(min_value=0, max_value=32767)


class EliminationRuleSetSerializer(serializers.Serializer):
    """The rule in force, who last set it and when."""

    bottom_count = serializers.IntegerField(allow_null=True)
    bottom_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    warn_after = serializers.IntegerField()
    changed_by = serializers.SerializerMethodField()
    changed_at = serializers.DateTimeField(allow_null=True)

    def get_changed_by(self, rule) -> str | None:
        if rule.changed_by is None:
            return None
        employee = getattr(rule.changed_by, "employee", None)
        return employee.name if employee is not None else rule.changed_by.get_username()
