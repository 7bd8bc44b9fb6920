"""The rankings API's input and output: which period, and its company ranking as the rankings page shows it (the
placings, those left out, the elimination rule, the periods to choose from, the freshness, what was published)."""

from rest_framework import serializers

from kpis.results.serializers import FreshnessSerializer
from teams.inputs import validate_served_day


class RankingQuery(serializers.Serializer):
    """?plan=&period=&first= (default: the plan holding today, its latest ranked month)."""

    plan = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    period = serializers.ChoiceField(choices=["month", "phase"], required=False)
    first = serializers.DateField(required=False, validators=[validate_served_day])


class PlacedEmployeeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    employee_number = serializers.CharField()


class PlacingSerializer(serializers.Serializer):
    employee = PlacedEmployeeSerializer()
    rank = serializers.IntegerField(allow_null=True)
    excluded = serializers.CharField()  # why a rep is left out of the ranking (blank: ranked)
    attainment = serializers.DecimalField(max_digits=12, decimal_places=6, allow_null=True)
    total_deposits = serializers.DecimalField(max_digits=16, decimal_places=2)
    flagged = serializers.BooleanField()  # on the bottom-elimination list
    consecutive = serializers.IntegerField()
    on_probation = serializers.BooleanField()


class EliminationRuleSerializer(serializers.Serializer):
    bottom_count = serializers.IntegerField(allow_null=True)
    bottom_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    warn_after = serializers.IntegerField()


class PeriodSerializer(serializers.Serializer):
    period = serializers.CharField()
    first_month = serializers.DateField()
    label = serializers.CharField()


class PublishedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class RankingSerializer(serializers.Serializer):
    period = serializers.CharField(source="page.kind")
    first_month = serializers.DateField(source="page.first_month")
    months = serializers.ListField(child=serializers.DateField(), source="page.months")
    placings = PlacingSerializer(many=True, source="page.placings")
    excluded = PlacingSerializer(many=True, source="page.excluded")
    rule = EliminationRuleSerializer(source="page.rule")
    periods = PeriodSerializer(many=True)
    freshness = FreshnessSerializer()  # of the period's months: a phase is recalculating if any month is
    published = PublishedSerializer(allow_null=True)
