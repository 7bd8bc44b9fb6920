"""Input serializers parse figure requests for the services; output serializers render the registry and figures.

Every metric column comes from `metrics.ENTERED` / `metrics.REGISTRY`, read when a serializer is built, so a
new registry entry shows up here without an edit. Inputs check shape only; the services judge the values.
"""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from teams.inputs import validate_served_day
from teams.rest.schema import ErrorItemSerializer

from . import metrics
from .models import WeeklyFigures
from .services import Conflict

# Ids are integer columns: a larger number is refused here rather than by the database (a 500).
ID = {"min_value": 1, "max_value": 2**31 - 1}
WEEK = {"validators": [validate_served_day]}

# Derived metrics listed beside the entered ones in every figures row, with the decimals they render with.
ROW_DERIVED = {"total_deposits": 2, "close_rate": 4}


def derived_value(figures: WeeklyFigures, code: str) -> Decimal | None:
    """Return a derived metric of one week's figures through the registry's formula (None: no base)."""
    metric = next(m for m in metrics.REGISTRY if m.code == code)
    values = {m.code: getattr(figures, m.code, 0) for m in metrics.ENTERED}
    return metric.formula(metrics.PeriodFigures(values))


# --- inputs -------------------------------------------------------------------------------


class RepRowInput(serializers.Serializer):
    employee = serializers.IntegerField(**ID)
    version = serializers.IntegerField(allow_null=True, required=False, default=None, min_value=0,
                                       max_value=2**31 - 1)
    # Numbers or text; the service parses each cell by its metric and names the cell it refuses. A metric left out
    # or null keeps its stored value.
    values = serializers.DictField(child=serializers.CharField(allow_blank=True, allow_null=True, trim_whitespace=True))


class FiguresUpsertInput(serializers.Serializer):
    team = serializers.IntegerField(**ID)
    week = serializers.DateField(**WEEK)
    rows = RepRowInput(many=True, allow_empty=False, max_length=1000)


class FiguresSubmitInput(serializers.Serializer):
    team = serializers.IntegerField(**ID)
    week = serializers.DateField(**WEEK)


# --- outputs ------------------------------------------------------------------------------


class MetricSerializer(serializers.Serializer):
    code = serializers.CharField()
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    unit = serializers.CharField()
    entered = serializers.BooleanField()
    number = serializers.IntegerField(allow_null=True)


def _entered_field(metric: metrics.Metric) -> serializers.Field:
    # allow_null: a registry entry whose migration has not run yet reads as null instead of failing the list.
    if metric.unit == metrics.Unit.COUNT:
        return serializers.IntegerField(read_only=True, allow_null=True)
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "readOnly": True})
class DerivedField(serializers.Field):
    """A derived metric of the row, as text with fixed decimals (like DRF's decimals), or null without a base."""

    def __init__(self, code: str, places: int) -> None:
        super().__init__(source="*", read_only=True)
        self.code, self.places = code, places

    def to_representation(self, figures: WeeklyFigures) -> str | None:
        value = derived_value(figures, self.code)
        return None if value is None else str(value.quantize(Decimal(1).scaleb(-self.places)))


class WeeklyFiguresSerializer(serializers.Serializer):
    """One rep-week: who and when, each entered metric, total deposits and close rate, state and version."""

    id = serializers.IntegerField(read_only=True)
    week = serializers.DateField(read_only=True)
    team = serializers.IntegerField(source="team_id", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    employee = serializers.IntegerField(source="employee_id", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    state = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    entered_by = serializers.CharField(source="entered_by.username", read_only=True)
    entered_at = serializers.DateTimeField(read_only=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        declared = super().get_fields()
        head = ["id", "week", "team", "team_name", "employee", "employee_name"]
        fields = {name: declared.pop(name) for name in head}
        fields.update({m.code: _entered_field(m) for m in metrics.ENTERED})
        fields.update({code: DerivedField(code, places) for code, places in ROW_DERIVED.items()})
        fields.update(declared)
        return fields


class ConflictSerializer(serializers.Serializer):
    """Whose save got in first and what differs, cell by cell (their value, your value)."""

    employee = serializers.CharField()
    saved_by = serializers.CharField()
    saved_at = serializers.DateTimeField()
    differences = serializers.SerializerMethodField()

    def get_differences(self, conflict: Conflict) -> list[dict[str, str]]:
        return [{"metric": label, "theirs": theirs, "yours": yours} for label, theirs, yours in conflict.differences]


class FiguresSavedSerializer(serializers.Serializer):
    """The upsert's answer: which reps' weeks were created, changed or left alone, and the week as saved."""

    created = serializers.ListField(child=serializers.IntegerField(), help_text="Employee ids.")
    changed = serializers.ListField(child=serializers.IntegerField(), help_text="Employee ids.")
    unchanged = serializers.ListField(child=serializers.IntegerField(), help_text="Employee ids.")
    figures = WeeklyFiguresSerializer(many=True)


class SubmittedSerializer(serializers.Serializer):
    submitted = serializers.IntegerField(help_text="How many draft rep-weeks went to the director.")


class FiguresConflictSerializer(serializers.Serializer):
    """A 409 of the upsert: the error shape, with each rep-week someone else saved meanwhile beside it."""

    errors = ErrorItemSerializer(many=True)
    conflicts = ConflictSerializer(many=True)


# --- the month close (the director's months page) -----------------------------------------------------------------


class MonthInput(serializers.Serializer):
    """The month to close (any day of it names the month; the service refuses one outside the served years)."""

    month = serializers.DateField()


class MonthReopenInput(MonthInput):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class MonthMoveSerializer(serializers.Serializer):
    """The month's last close or reopen: who, when, why."""

    action = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.SerializerMethodField()
    reason = serializers.CharField()

    def get_by(self, event) -> str:
        employee = getattr(event.by, "employee", None)
        return employee.name if employee is not None else event.by.get_username()


class MonthFiguresSerializer(serializers.Serializer):
    """One plan month as the close page lists it: its weeks, the rep-weeks by state, closed or not, the last move."""

    month = serializers.DateField(source="plan_month.month")
    phase = serializers.CharField(source="plan_month.phase.name")
    weeks = serializers.ListField(child=serializers.DateField())
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()
    locked = serializers.IntegerField()
    missing = serializers.IntegerField()
    closed = serializers.BooleanField()
    reopened = serializers.BooleanField()
    begun = serializers.BooleanField()
    last_move = MonthMoveSerializer(allow_null=True)


class MonthMovedSerializer(serializers.Serializer):
    """What a close or reopen did: the month, whether it is closed now, how many weekly figures changed state."""

    month = serializers.DateField()
    closed = serializers.BooleanField()
    figures_changed = serializers.IntegerField()
