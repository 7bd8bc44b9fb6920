"""The published rankings' output: the list, and one period's frozen rows as the director published them (the
deposits only when they chose to show them; the reader's own row marked)."""

from rest_framework import serializers

from ..models import PeriodKind


class PublishedRankingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    period = serializers.CharField()
    first_month = serializers.DateField()
    show_amounts = serializers.BooleanField()
    published_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)  # the director and HR still see a withdrawn one
    version = serializers.IntegerField()


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    employee = serializers.IntegerField(source="employee_id")
    name = serializers.CharField()
    team = serializers.CharField()
    attainment = serializers.DecimalField(max_digits=12, decimal_places=6, allow_null=True)
    deposits = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    mine = serializers.BooleanField()


class PublishedRankingDetailSerializer(serializers.Serializer):
    ranking = PublishedRankingSerializer()
    rows = RankingRowSerializer(many=True)


class RankingPublishInput(serializers.Serializer):
    """The month or phase to publish, named by its first month; whether the deposits are shown beside the ranks."""

    period = serializers.ChoiceField(choices=[PeriodKind.MONTH, PeriodKind.PHASE])
    first_month = serializers.DateField()
    show_amounts = serializers.BooleanField(required=False, default=False)


class RankingWithdrawInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
