"""The register API's input and output: a proposal, an act, and a record as its reader sees it
(rewards.selectors.records scopes who sees which; rewards.filters the list's filters). Inputs check shape;
rewards.services.records judges."""

from rest_framework import serializers

from teams.rest.serializers import NamedSerializer

from ..models import Kind, Method, PeriodKind
from ..services.records import ACTIONS, REASON_LIMIT
from .common import PersonField, StepSerializer

ID = {"min_value": 1, "max_value": 2**31 - 1}


# --- inputs -------------------------------------------------------------------------------


class ProposeInput(serializers.Serializer):
    """A proposal about one employee or one team (the service names the field it refuses)."""

    employee = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    team = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    kind = serializers.ChoiceField(choices=Kind.choices)
    method = serializers.ChoiceField(choices=Method.choices)
    amount = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                      max_value=2**31 - 1)
    reason = serializers.CharField(allow_blank=True, max_length=REASON_LIMIT)
    period = serializers.ChoiceField(choices=PeriodKind.choices, required=False, default=PeriodKind.NONE)
    first_month = serializers.DateField(required=False, allow_null=True, default=None)
    promotion_case = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)


class RecordActInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = serializers.CharField(allow_blank=True, max_length=REASON_LIMIT, required=False, default="")


# --- outputs ------------------------------------------------------------------------------


class RuleSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()


class RecordSerializer(serializers.Serializer):
    """One record of the register: about whom, what, for which period, its state and version, who moved it."""

    id = serializers.IntegerField(source="pk")
    employee = NamedSerializer(allow_null=True)
    team = NamedSerializer(allow_null=True)
    kind = serializers.CharField()
    method = serializers.CharField()
    amount = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    period = serializers.CharField()
    first_month = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    version = serializers.IntegerField()
    rule = RuleSerializer(allow_null=True)
    proposed_by = PersonField()
    proposed_at = serializers.DateTimeField()
    approved_by = PersonField()
    hr_approved_by = PersonField()
    published_at = serializers.DateTimeField(allow_null=True)
    needs_review = serializers.BooleanField()
    review_note = serializers.CharField()
    # the list puts what waits for the reader's approval first (rewards.selectors.records.filtered)
    waiting_for_me = serializers.SerializerMethodField()

    def get_waiting_for_me(self, record) -> bool:
        return getattr(record, "waits", 1) == 0


class FigureLineSerializer(serializers.Serializer):
    label = serializers.CharField()
    text = serializers.CharField()


class RecordDetailSerializer(serializers.Serializer):
    """One record with what its page shows: the rule's figures, the case and notice it links, its history and the
    acts open to the reader now."""

    record = RecordSerializer()
    revoke_reason = serializers.CharField(source="record.revoke_reason")
    metric = serializers.CharField(source="record.metric")
    promotion_case = serializers.IntegerField(source="record.promotion_case_id", allow_null=True)
    notice = serializers.IntegerField(source="notice_id", allow_null=True)
    rule_figures = FigureLineSerializer(many=True)
    history = StepSerializer(many=True)
    acts = serializers.ListField(child=serializers.ChoiceField(choices=ACTIONS))
