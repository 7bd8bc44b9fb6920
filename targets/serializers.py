"""Input serializers parse requests for the services; output serializers render plans and targets.

Inputs only check shape (types, lengths); every business rule stays in the services, which name the field.
"""

from rest_framework import serializers

from teams.inputs import validate_served_day

from .models import RepMonthTarget, RepWeekTarget, TargetProposal, TeamMonthTarget
from .selectors import PlanOverview


class IdKeyedWeightsField(serializers.DictField):
    """{"<id>": "1.5", ...} with the ids parsed to int; the values stay text for the service to check."""

    child = serializers.CharField()

    def to_internal_value(self, data: object) -> dict[int, str]:
        weights = super().to_internal_value(data)
        try:
            keyed = {int(key): value for key, value in weights.items() if len(str(key)) <= 10}
        except ValueError:
            raise serializers.ValidationError("Weights are keyed by id.") from None
        if len(keyed) != len(weights) or not all(0 < key < 2**31 for key in keyed):
            raise serializers.ValidationError("Weights are keyed by id.")
        return keyed


# --- inputs -------------------------------------------------------------------------------

# Ids and versions are integer columns: a larger number is refused here rather than by the database (a 500).
ID = {"min_value": 0, "max_value": 2**31 - 1}


class PhaseInput(serializers.Serializer):
    name = serializers.CharField(max_length=50, allow_blank=True)
    month_count = serializers.IntegerField(min_value=-1000, max_value=1000)


class PlanEditInput(serializers.Serializer):
    # Targets arrive as numbers or text; the service turns them into whole yuan or refuses on "months.<i>".
    phases = PhaseInput(many=True, max_length=100)
    month_targets = serializers.ListField(child=serializers.CharField(), max_length=100)


class PlanCreateInput(PlanEditInput):
    name = serializers.CharField(max_length=50)
    first_month = serializers.DateField(validators=[validate_served_day])


class PlanUpdateInput(PlanEditInput):
    version = serializers.IntegerField(**ID)
    reason = serializers.CharField(max_length=300, allow_blank=True, default="")


class PlanApproveInput(serializers.Serializer):
    version = serializers.IntegerField(**ID)
    without_calendar = serializers.BooleanField(default=False)  # approve months beyond the known calendar anyway


class PlanDraftQuery(serializers.Serializer):
    total = serializers.IntegerField(required=False)
    growth = serializers.DecimalField(max_digits=7, decimal_places=2, required=False)


class TeamWeightsInput(serializers.Serializer):
    weights = IdKeyedWeightsField()


class RepWeightsInput(serializers.Serializer):
    team = serializers.IntegerField(**ID)
    weights = IdKeyedWeightsField()


class ProposalInput(serializers.Serializer):
    team = serializers.IntegerField(**ID)
    proposed_target = serializers.CharField()
    note = serializers.CharField(max_length=300, allow_blank=True, default="")


class ProposalsDecideInput(serializers.Serializer):
    accept = serializers.BooleanField()


class TargetQuery(serializers.Serializer):
    plan = serializers.IntegerField(**ID)
    team = serializers.IntegerField(required=False, **ID)
    employee = serializers.IntegerField(required=False, **ID)


# --- outputs ------------------------------------------------------------------------------


class PlanSerializer(serializers.Serializer):
    """A PlanOverview: the plan, its phases with their months, the months; every total is a sum of months."""

    id = serializers.IntegerField(source="plan.pk")
    name = serializers.CharField(source="plan.name")
    first_month = serializers.DateField(source="plan.first_month")
    status = serializers.CharField(source="plan.status")
    version = serializers.IntegerField(source="plan.version")
    approved_by = serializers.CharField(source="plan.approved_by.username", default=None)
    approved_at = serializers.DateTimeField(source="plan.approved_at")
    deposit_target = serializers.IntegerField()
    phases = serializers.SerializerMethodField()
    months = serializers.SerializerMethodField()

    def get_phases(self, overview: PlanOverview) -> list[dict]:
        return [{"number": p.phase.number, "name": p.phase.name, "months": [m.month for m in p.months],
                 "deposit_target": p.deposit_target} for p in overview.phases]

    def get_months(self, overview: PlanOverview) -> list[dict]:
        return [{"id": m.pk, "month": m.month, "phase": p.phase.number, "deposit_target": m.deposit_target}
                for p in overview.phases for m in p.months]


class TeamMonthTargetSerializer(serializers.ModelSerializer):
    month = serializers.DateField(source="plan_month.month")
    team_name = serializers.CharField(source="team.name")

    class Meta:
        model = TeamMonthTarget
        fields = ["id", "plan_month", "month", "team", "team_name", "deposit_target"]


class RepMonthTargetSerializer(serializers.ModelSerializer):
    month = serializers.DateField(source="plan_month.month")
    team_name = serializers.CharField(source="team.name")
    employee_name = serializers.CharField(source="employee.name")

    class Meta:
        model = RepMonthTarget
        fields = ["id", "plan_month", "month", "team", "team_name", "employee", "employee_name", "deposit_target"]


class RepWeekTargetSerializer(serializers.ModelSerializer):
    month = serializers.DateField(source="plan_month.month")
    team_name = serializers.CharField(source="team.name")
    employee_name = serializers.CharField(source="employee.name")

    class Meta:
        model = RepWeekTarget
        fields = ["id", "plan_month", "month", "week", "team", "team_name", "employee", "employee_name",
                  "deposit_target"]


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetProposal
        fields = ["id", "plan_month", "team", "proposed_target", "note", "proposed_at", "decision", "decided_at"]


class PlanDraftSerializer(serializers.Serializer):
    """Next year's draft in the shape plans/ takes (name, first_month, phases, month_targets), with its months."""

    name = serializers.CharField()
    first_month = serializers.DateField()
    source = serializers.IntegerField(source="source.pk")
    basis = serializers.IntegerField()
    deposit_target = serializers.IntegerField()
    phases = serializers.SerializerMethodField()
    month_targets = serializers.SerializerMethodField()
    months = serializers.SerializerMethodField()

    def get_phases(self, draft) -> list[dict]:
        return [{"name": name, "month_count": count} for name, count in draft.phases]

    def get_month_targets(self, draft) -> list[int]:
        return [m.deposit_target for m in draft.months]

    def get_months(self, draft) -> list[dict]:
        return [{"month": m.month, "last_target": m.last_target, "deposit_target": m.deposit_target,
                 "last_deposits": None if m.last_deposits is None else str(m.last_deposits)} for m in draft.months]


class PlanWithWarningsSerializer(PlanSerializer):
    """One plan as its endpoints answer it: with the months beyond the known working calendar (their weeks
    ignore holidays until the calendar is loaded)."""

    months_without_calendar = serializers.ListField(child=serializers.CharField(), read_only=True,
                                                    help_text="Months as YYYY-MM.")


class DecidedSerializer(serializers.Serializer):
    decided = serializers.IntegerField(help_text="How many pending proposals were decided.")
