"""Output fields the rewards serializers share: an object by id and name (the API's one Named), a person by the
name pages show."""

from rest_framework import serializers

from ..services.records import person_name


class PersonField(serializers.CharField):
    """A log-in as the pages name it: their employee's name, else the log-in name (null: nobody, a rule)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value) -> str:
        return person_name(value)


class StepSerializer(serializers.Serializer):
    """One event of a subject's history: the action and the states by code, who, when and why."""

    action = serializers.CharField(source="event.action")
    action_label = serializers.CharField(source="action")
    from_state = serializers.CharField(source="event.from_state")
    to_state = serializers.CharField(source="event.to_state")
    at = serializers.DateTimeField(source="event.at")
    by = PersonField(source="event.by")
    reason = serializers.CharField(source="event.reason")
