"""The appraisals API's input and output: what each act takes, and an appraisal as its reader may see it."""

from rest_framework import serializers

from targets.models import PlanYear
from teams import inputs
from teams.inputs import validate_served_day
from teams.rest.history import HistoryStepSerializer
from teams.rest.serializers import NamedSerializer

from .models import Appraisal, CycleKind, Goal
from .services.acts import ACTS

ACTIONS = sorted(ACTS)  # also the schema's name for this choice set (SPECTACULAR_SETTINGS' ENUM_NAME_OVERRIDES)


class ActInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    version = serializers.IntegerField(min_value=1)


class GoalInput(serializers.Serializer):
    metric = serializers.CharField(max_length=40)
    weight = serializers.IntegerField()
    target = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)


class GoalsInput(serializers.Serializer):
    goals = GoalInput(many=True)


class GoalsConfirmInput(serializers.Serializer):
    goals = GoalInput(many=True, required=False)


class ReviewInput(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=10000, trim_whitespace=False)
    self_ratings = serializers.DictField(child=serializers.IntegerField())


class CommentInput(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, max_length=5000)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=5000)


class RateInput(serializers.Serializer):
    goal_ratings = serializers.DictField(child=serializers.IntegerField())
    rating = serializers.IntegerField()
    comment = serializers.CharField(allow_blank=True, max_length=5000)
    reason = serializers.CharField(allow_blank=True, max_length=5000, required=False, default="")
    # {"skills": [4, "comment"], ...}: the annual ability evaluation
    ability = serializers.DictField(child=serializers.ListField(min_length=2, max_length=2), required=False,
                                    allow_null=True, default=None)


class ReassignInput(ReasonInput):
    rater_id = serializers.IntegerField()


class NoInput(serializers.Serializer):
    pass


# What each action reads from the request besides "action" and "version".
ACT_INPUT: dict[str, type[serializers.Serializer]] = {
    "save_goals": GoalsInput, "confirm_goals": GoalsConfirmInput, "submit_review": ReviewInput,
    "question": CommentInput, "disagree": CommentInput, "keep": ReasonInput, "return": ReasonInput,
    "rate": RateInput, "reassign": ReassignInput, "withdraw": ReasonInput,
}


class CycleSummarySerializer(NamedSerializer):
    kind = serializers.CharField()
    first_month = serializers.DateField()
    last_month = serializers.DateField()


class AppraisalSerializer(serializers.ModelSerializer):
    cycle = CycleSummarySerializer()
    employee = NamedSerializer()
    team = NamedSerializer()
    rater = NamedSerializer()

    class Meta:
        model = Appraisal
        fields = ["id", "cycle", "employee", "team", "rater", "is_manager", "state", "version"]


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["metric", "weight", "target", "actual", "self_rating", "rating"]


RATING_FIELDS = ["score", "computed_rating", "rating", "rater_comment", "rating_reason"]


class AppraisalDetailSerializer(AppraisalSerializer):
    goals = GoalSerializer(many=True)

    class Meta(AppraisalSerializer.Meta):
        fields = [*AppraisalSerializer.Meta.fields, "self_review", "snapshot_at", "goals", *RATING_FIELDS,
                  "disagreement", "published_at"]


# --- the detail as the endpoint answers it (appraisals/api/appraisals.py's render), for the schema ----------------


class FeedbackAnswerSerializer(serializers.Serializer):
    text = serializers.CharField()
    giver_id = serializers.IntegerField(required=False, allow_null=True, help_text="HR only.")
    giver_name = serializers.CharField(required=False, help_text="HR only.")
    answered_at = serializers.DateTimeField(required=False, allow_null=True, help_text="HR only.")


class FeedbackSerializer(serializers.Serializer):
    answers = FeedbackAnswerSerializer(many=True)
    count = serializers.IntegerField(help_text="Answers given.")
    asked = serializers.IntegerField(help_text="Requests made.")
    hidden = serializers.BooleanField(help_text="Some answers are not shown (fewer than three, or not yet).")


class FigureChangedSerializer(serializers.Serializer):
    metric = serializers.CharField()
    frozen = serializers.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=True)
    current = serializers.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=True)
    difference = serializers.DecimalField(max_digits=16, decimal_places=4, coerce_to_string=True)


class AbilityScoreSerializer(serializers.Serializer):
    condition = serializers.CharField()
    score = serializers.IntegerField()
    comment = serializers.CharField(allow_blank=True)


class AppraisalShownSerializer(AppraisalDetailSerializer):
    """One appraisal as the user may see it: ratings hidden from the appraisee until signed, feedback as shown."""

    feedback = FeedbackSerializer()
    figures_changed = FigureChangedSerializer(many=True)
    ability = AbilityScoreSerializer(many=True)
    history = HistoryStepSerializer(many=True)

    class Meta(AppraisalDetailSerializer.Meta):
        fields = [*AppraisalDetailSerializer.Meta.fields, "feedback", "figures_changed", "ability", "history"]


# --- the cycles HR runs (appraisals/api/cycles.py) -----------------------------------------------------------------


def _month(value: str):
    try:
        return inputs.month(value)
    except inputs.InputError as error:
        raise serializers.ValidationError(error.message) from None


class GoalMetricInput(serializers.Serializer):
    metric = serializers.CharField(max_length=40)
    weight = serializers.IntegerField(min_value=0, max_value=100)


class CycleOpenInput(serializers.Serializer):
    """cycle_open's arguments: the months as YYYY-MM, the plan and teams by id (no teams: all of sales)."""

    name = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=CycleKind.choices)
    plan = serializers.PrimaryKeyRelatedField(queryset=PlanYear.objects.all())
    first_month = serializers.CharField(max_length=7, help_text="YYYY-MM")
    last_month = serializers.CharField(max_length=7, help_text="YYYY-MM")
    team_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
                                     required=False, allow_null=True, default=None, max_length=100)
    with_feedback = serializers.BooleanField(required=False, default=False)
    goal_metrics = GoalMetricInput(many=True)
    deadlines = serializers.DictField(child=serializers.DateField(validators=[validate_served_day]),
                                      help_text="Each step's due date: {\"goals\": \"2017-02-15\", ...}.")

    def validate_first_month(self, value: str):
        return _month(value)

    def validate_last_month(self, value: str):
        return _month(value)


class CyclePersonInput(serializers.Serializer):
    employee_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = serializers.CharField(max_length=300)


class CycleDeadlinesInput(serializers.Serializer):
    deadlines = serializers.DictField(child=serializers.DateField(validators=[validate_served_day]),
                                      help_text="Each step's due date; a step left out has none.")


class CycleSerializer(NamedSerializer):
    kind = serializers.CharField()
    plan = NamedSerializer()
    first_month = serializers.DateField()
    last_month = serializers.DateField()
    with_feedback = serializers.BooleanField()
    status = serializers.CharField()


class CycleListedSerializer(CycleSerializer):
    size = serializers.IntegerField(help_text="Appraisals in the cycle, withdrawn ones not counted.")
    published = serializers.IntegerField()


class DeadlineSerializer(serializers.Serializer):
    step = serializers.CharField()
    due_on = serializers.DateField()


class StepCountSerializer(serializers.Serializer):
    step = serializers.CharField()
    count = serializers.IntegerField()


class CycleProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    steps = StepCountSerializer(many=True)


class CycleDetailSerializer(CycleSerializer):
    """One cycle as its page shows it: scope, goals, due dates and how many appraisals stand at each step."""

    teams = NamedSerializer(many=True, help_text="Empty: all of sales.")
    goal_metrics = GoalMetricInput(many=True)
    deadlines = DeadlineSerializer(many=True)
    progress = CycleProgressSerializer()


# --- anonymous feedback: HR asks, each giver answers their own requests (appraisals/api/feedback.py) ----------------


class FeedbackAskInput(serializers.Serializer):
    giver_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
                                      max_length=200, help_text="The employees asked for feedback.")


class FeedbackAnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=5000, allow_blank=True)


class FeedbackRequestSerializer(serializers.Serializer):
    """One request to the giver reading it: whose appraisal, in which cycle, and their own answer so far."""

    id = serializers.IntegerField(source="pk")
    appraisee = NamedSerializer(source="appraisal.employee")
    cycle = NamedSerializer(source="appraisal.cycle")
    answer = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(allow_null=True)
