"""The cases API's input and output: what each act takes, and a case as its reader sees it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from teams.inputs import validate_served_day
from teams.models import Employee, Position
from teams.rest.history import HistoryStepSerializer
from teams.rest.serializers import NamedSerializer

from . import calculations as calc
from .models import CourseType, PromotionCase, RatedBy, StepRequirement
from .selectors.candidates import SORTS
from .services.acts import ACTS

ACTIONS = sorted(ACTS)  # also the schema's name for this choice set (SPECTACULAR_SETTINGS' ENUM_NAME_OVERRIDES)


class ActInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    version = serializers.IntegerField(min_value=1)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=5000)


class DecideInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=5000, required=False, default="")


class ReviewInput(serializers.Serializer):
    # {"skills": {"score": 4, "comment": "..."}, ...}: every condition of the checklist
    checklist = serializers.DictField(child=serializers.DictField())
    special_reason = serializers.CharField(allow_blank=True, max_length=5000, required=False, default="")
    early_recommended = serializers.BooleanField(required=False, default=False)
    comment = serializers.CharField(allow_blank=True, max_length=5000, required=False, default="")

    def validate(self, attrs: dict) -> dict:
        # the input was called "early" once: refuse it rather than drop a recommendation the client meant to send
        if isinstance(self.initial_data, dict) and "early" in self.initial_data:
            raise serializers.ValidationError({"early": _("This input is now called early_recommended.")})
        return attrs


class NotImprovedInput(ReasonInput):
    follow_kind = serializers.CharField(max_length=20)
    to_position_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    to_grade_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    effective_on = serializers.DateField()


class NoInput(serializers.Serializer):
    pass


# What each action reads from the request besides "action" and "version".
ACT_INPUT: dict[str, type[serializers.Serializer]] = {
    "review": ReviewInput, "approve": DecideInput, "reject": DecideInput, "withdraw": ReasonInput,
    "improved": ReasonInput, "not_improved": NotImprovedInput,
}


class GradeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()


class CaseSerializer(serializers.ModelSerializer):
    employee = NamedSerializer()
    from_position = NamedSerializer()
    to_position = NamedSerializer()
    from_grade = GradeSerializer()
    to_grade = GradeSerializer()

    class Meta:
        model = PromotionCase
        fields = ["id", "employee", "kind", "state", "version", "from_position", "to_position", "from_grade",
                  "to_grade", "effective_on", "rules_met"]


class CaseDetailSerializer(CaseSerializer):
    # JSON columns, typed for the schema: the engine's unmet rules ({"rule", ...} each) and HR's review
    # ({"checklist": {condition: {"score", "comment"}}, "prefilled_from": appraisal id or null})
    unmet_rules = serializers.ListField(child=serializers.DictField(), read_only=True)
    review = serializers.DictField(read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "reason", "unmet_rules", "special_reason", "early_recommended", "review",
                  "plan_text", "review_on", "decision_comment", "follows", "source_appraisal", "team",
                  "replaces_manager", "applied_appointment"]


class CaseShownSerializer(CaseDetailSerializer):
    """One case as the endpoint answers it: with its history (promotions/api/cases.py's render), for the schema."""

    history = HistoryStepSerializer(many=True)

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "history"]

# --- HR's candidates (the engine's verdict for each step up, as the candidates page lists them) ----------------


class CandidateQuery(serializers.Serializer):
    """?horizon=&all=&team=&ladder=&position=&sort=, as the candidates page filters."""

    horizon = serializers.IntegerField(required=False, default=3, min_value=0, max_value=24)  # months ahead
    all = serializers.BooleanField(required=False, default=False)  # also those not eligible, with the reasons
    team = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    ladder = serializers.CharField(required=False, default="", max_length=20, allow_blank=True)
    position = serializers.CharField(required=False, default="", max_length=30, allow_blank=True)
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="eligible_from")


class PositionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()


class CandidateEmployeeSerializer(NamedSerializer):
    employee_number = serializers.CharField()


class CheckSerializer(serializers.Serializer):
    rule = serializers.CharField()  # employment, path, position, time, rating, training_hours, exam
    met = serializers.BooleanField()
    text = serializers.CharField()  # the reason, in words


class CandidateSerializer(serializers.Serializer):
    employee = CandidateEmployeeSerializer()
    team_name = serializers.CharField()
    position = PositionSerializer()
    ladder = serializers.CharField()
    to_position = PositionSerializer()
    verdict = serializers.ChoiceField(choices=[calc.NOW, calc.FROM, calc.NOT], source="eligibility.verdict")
    eligible_from = serializers.DateField(source="eligibility.eligible_from", allow_null=True)
    checks = CheckSerializer(many=True, source="eligibility.checks")


# --- HR's administration: the paths and their requirements, the reserve pool's rule (promotions/api/paths.py) ------


class RungSerializer(PositionSerializer):
    """A position on a ladder, with its level (higher is senior)."""

    level = serializers.IntegerField()


class LadderSummarySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = StepRequirement
        fields = ["valid_from", "months_in_position", "rating", "rated_by", "training_hours", "exam_score",
                  "changed_at"]


class PathStepSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="step.pk")
    from_position = RungSerializer(source="step.from_position")
    to_position = RungSerializer(source="step.to_position")
    switches_ladder = serializers.BooleanField(help_text="From the top of one ladder to another (rep → manager).")
    in_force = RequirementSerializer(allow_null=True, help_text="The requirement in force today (null: none yet).")
    history = RequirementSerializer(many=True, help_text="Every row, the latest first.")


class LadderSerializer(serializers.Serializer):
    ladder = LadderSummarySerializer(allow_null=True, help_text="Null: the steps from a position on no ladder.")
    positions = RungSerializer(many=True)
    steps = PathStepSerializer(many=True)


class PathStepInput(serializers.Serializer):
    from_position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all())
    to_position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all())


class RequirementInput(serializers.Serializer):
    """A new row of the step's requirements, in force from `valid_from` (the service judges the numbers)."""

    valid_from = serializers.DateField(validators=[validate_served_day])
    months_in_position = serializers.IntegerField(min_value=0, max_value=32767)
    rating = serializers.IntegerField(min_value=0, max_value=32767)
    rated_by = serializers.ChoiceField(choices=RatedBy.choices)
    training_hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False, default=0)
    exam_score = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True,
                                          default=None)


class PoolRuleSerializer(serializers.Serializer):
    excellent_in = serializers.IntegerField(help_text="N: rated excellent in at least N …")
    cycles = serializers.IntegerField(help_text="… of the last M published cycles.")
    version = serializers.CharField(allow_blank=True, help_text="The stamp a save sends back (empty: never saved).")
    changed_at = serializers.DateTimeField(allow_null=True)


class PoolRuleInput(serializers.Serializer):
    excellent_in = serializers.IntegerField(min_value=0, max_value=32767)
    cycles = serializers.IntegerField(min_value=0, max_value=32767)
    version = serializers.CharField(allow_blank=True, max_length=40,
                                    help_text="The rule's `version` as read; a newer save meanwhile is a 409.")


# --- HR's training records (promotions/api/training.py) -------------------------------------------------------------


class CourseTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TrainingSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    course = CourseTypeSerializer()
    title = serializers.CharField()
    held_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    has_exam = serializers.BooleanField()


class TrainingSessionListedSerializer(TrainingSessionSerializer):
    attendees = serializers.IntegerField()
    person_hours = serializers.DecimalField(max_digits=12, decimal_places=1)


class AttendeeSerializer(serializers.Serializer):
    employee = NamedSerializer(source="attendance.employee")
    team_name = serializers.CharField(help_text="Their team on the session's day (empty: none).")
    exam_score = serializers.DecimalField(source="attendance.exam_score", max_digits=5, decimal_places=1,
                                          allow_null=True)
    course_hours = serializers.DecimalField(max_digits=8, decimal_places=1, help_text="Hours in this course type.")
    total_hours = serializers.DecimalField(max_digits=8, decimal_places=1, help_text="Hours in all courses.")


class TrainingSessionDetailSerializer(TrainingSessionSerializer):
    attendance = AttendeeSerializer(many=True)


class TrainingSessionQuery(serializers.Serializer):
    course = serializers.CharField(required=False, default="", max_length=30, help_text="A course type's code.")
    year = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1900, max_value=9999)


class TrainingSessionInput(serializers.Serializer):
    course = serializers.SlugRelatedField(slug_field="code", queryset=CourseType.objects.all())
    title = serializers.CharField(max_length=100)
    held_on = serializers.DateField(validators=[validate_served_day])
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    has_exam = serializers.BooleanField(required=False, default=False)


class AttendanceRowInput(serializers.Serializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.all())
    exam_score = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True,
                                          default=None)


class AttendanceInput(serializers.Serializer):
    rows = AttendanceRowInput(many=True, allow_empty=False, max_length=500)
