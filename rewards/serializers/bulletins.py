"""The bulletins API's input and output: a manager's bulletin, a comment, a rep's line, and the week's bulletins as
the pages show them (a team's week with its reps' lines and figures; every team's week for the director).
Inputs check shape; rewards.services.bulletins judges."""

from rest_framework import serializers

from teams.rest.serializers import NamedSerializer

from ..models import BulletinComment
from ..services.bulletins import LINE_LIMIT, TEXT_LIMIT
from .common import PersonField

VERSION = {"required": False, "allow_null": True, "default": None, "min_value": 0, "max_value": 2**31 - 1}


class BulletinInput(serializers.Serializer):
    went_well = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, required=False, default="")
    hard = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, required=False, default="")
    help_needed = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, required=False, default="")
    version = serializers.IntegerField(**VERSION)  # the one the writer read; null for a new bulletin


class CommentInput(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True)


class LineInput(serializers.Serializer):
    text = serializers.CharField(max_length=LINE_LIMIT, allow_blank=True)
    version = serializers.IntegerField(**VERSION)


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=BulletinComment.CommentKind.choices)
    text = serializers.CharField()
    by = PersonField()
    at = serializers.DateTimeField()


class BulletinSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    team = NamedSerializer()
    week = serializers.DateField()
    month = serializers.DateField()
    went_well = serializers.CharField()
    hard = serializers.CharField()
    help_needed = serializers.CharField()
    written_by = PersonField()
    written_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    comments = CommentSerializer(many=True, source="comments.all")


class LineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    employee = NamedSerializer()
    team = serializers.IntegerField(source="team_id")
    week = serializers.DateField()
    text = serializers.CharField()
    written_at = serializers.DateTimeField()
    version = serializers.IntegerField()


class WeekFiguresSerializer(serializers.Serializer):
    total_deposits = serializers.DecimalField(max_digits=16, decimal_places=2)
    accounts_opened = serializers.IntegerField()
    reps_reported = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True)


class TeamWeekSerializer(serializers.Serializer):
    team = NamedSerializer()
    week = serializers.DateField()
    month = serializers.DateField()
    locked = serializers.BooleanField()  # the month is closed: the bulletin is annotated, not rewritten
    bulletin = BulletinSerializer(allow_null=True)
    lines = LineSerializer(many=True)
    figures = WeekFiguresSerializer()


class TeamBulletinSerializer(serializers.Serializer):
    team = NamedSerializer()
    missing = serializers.BooleanField()
    bulletin = BulletinSerializer(allow_null=True)


class WeekBulletinsSerializer(serializers.Serializer):
    week = serializers.DateField()
    month = serializers.DateField()
    locked = serializers.BooleanField()
    rows = TeamBulletinSerializer(many=True)  # the teams without a bulletin first


class OwnLineSerializer(serializers.Serializer):
    week = serializers.DateField()
    line = LineSerializer(allow_null=True)
