"""The notice board API's input and output: an announcement, an act on a notice, and a notice as its reader sees
it (read or unread for them). Inputs check shape; rewards.services.notices judges."""

from rest_framework import serializers

from ..forms.board import NOTICE_ACTS
from ..models import Notice, NoticeKind
from ..services.notices import BODY_LIMIT
from .common import PersonField


class BoardQuery(serializers.Serializer):
    show = serializers.ChoiceField(choices=["board", "gone"], required=False, default="board")


class NoticeInput(serializers.Serializer):
    title = serializers.CharField(max_length=Notice._meta.get_field("title").max_length, allow_blank=True)
    body = serializers.CharField(max_length=BODY_LIMIT, allow_blank=True, required=False, default="")
    pinned = serializers.BooleanField(required=False, default=False)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class NoticeActInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=NOTICE_ACTS)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    title = serializers.CharField()
    body = serializers.CharField()
    pinned = serializers.BooleanField()
    expires_on = serializers.DateField(allow_null=True)
    published_by = PersonField()
    published_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    is_read = serializers.BooleanField()
    record = serializers.IntegerField(source="record_id", allow_null=True)
    ranking = serializers.IntegerField(source="ranking_id", allow_null=True)


class ReadSerializer(serializers.Serializer):
    notice = serializers.IntegerField(source="notice_id")
    read_at = serializers.DateTimeField()


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()
