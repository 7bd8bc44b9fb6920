"""Output serializers every app's API shares, so the schema names each shape once."""

from rest_framework import serializers


class NamedSerializer(serializers.Serializer):
    """An object by its id and the name the pages show (a team, an employee, a position, a cycle)."""

    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
