"""The reward rules API's input and output: a rule to create or change (at its version), a run of the rules for a
closed month, and a rule as its page shows it. Inputs check shape; rewards.services.rules judges every value."""

from rest_framework import serializers

from ..models import Comparison, Kind, Method, PeriodKind, Scope
from .common import PersonField

PERIODS = [PeriodKind.MONTH, PeriodKind.PHASE]
METHODS = [Method.NOTICE, Method.CASH]


# --- inputs -------------------------------------------------------------------------------


class RuleChangeInput(serializers.Serializer):
    """A rule's values (the threshold in its metric's unit, docs/rewards.md); the service names the field it
    refuses."""

    name = serializers.CharField(max_length=100)
    comparison = serializers.ChoiceField(choices=Comparison.choices)
    metric = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")
    threshold = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True, required=False,
                                         default=None)
    period = serializers.ChoiceField(choices=PERIODS, required=False, default=PeriodKind.MONTH)
    scope = serializers.ChoiceField(choices=Scope.choices, required=False, default=Scope.REP)
    kind = serializers.ChoiceField(choices=Kind.choices)
    method = serializers.ChoiceField(choices=METHODS)
    amount = serializers.IntegerField(min_value=0, max_value=2**31 - 1, allow_null=True, required=False,
                                      default=None)
    text_template = serializers.CharField(max_length=300)
    active = serializers.BooleanField(required=False, default=True)


class RuleNewInput(RuleChangeInput):
    code = serializers.CharField(max_length=40, help_text="Letters, digits, - and _; it names the rule's proposals "
                                                          "and cannot change.")


class RuleUpdateInput(RuleChangeInput):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class RulesRunInput(serializers.Serializer):
    month = serializers.DateField(help_text="A closed month (any day of it).")


# --- outputs ------------------------------------------------------------------------------


class RuleDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()
    metric = serializers.CharField()
    comparison = serializers.CharField()
    threshold = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    period = serializers.CharField()
    scope = serializers.CharField()
    kind = serializers.CharField()
    method = serializers.CharField()
    amount = serializers.IntegerField(allow_null=True)
    text_template = serializers.CharField()
    active = serializers.BooleanField()
    version = serializers.IntegerField()
    changed_by = PersonField()
    changed_at = serializers.DateTimeField(allow_null=True)


class RulesAddedSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="How many default rules were missing and are added now.")


class RulesRanSerializer(serializers.Serializer):
    """What the month's run did: records proposed, proposals withdrawn, approved ones flagged for review."""

    month = serializers.DateField()
    proposed = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    flagged = serializers.IntegerField()


class RuleRunSerializer(serializers.Serializer):
    """One of the latest runs, as the rules page lists them: what it proposed, or why it waits."""

    month = serializers.DateField()
    requested_at = serializers.DateTimeField()
    requested_by = PersonField()
    ran_at = serializers.DateTimeField(allow_null=True)
    proposed = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    flagged = serializers.IntegerField()
    waiting_for = serializers.CharField()
    last_error = serializers.CharField()
