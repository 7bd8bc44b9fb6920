"""The schema of an object's history as the detail endpoints answer it (one row per state move)."""

from rest_framework import serializers


class HistoryStepSerializer(serializers.Serializer):
    action = serializers.CharField()
    to = serializers.CharField()
    at = serializers.DateTimeField()
    reason = serializers.CharField(allow_blank=True)
    by = serializers.CharField(help_text="The employee's name, else the log-in name.")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()  # `from` is a Python keyword, so it cannot be a class attribute
        return {"action": fields.pop("action"), "from": serializers.CharField(), **fields}
