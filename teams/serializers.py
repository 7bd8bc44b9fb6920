from rest_framework import serializers

from .models import Employee, Membership, Team


class TeamSerializer(serializers.ModelSerializer):
    manager_name = serializers.CharField(source="manager.name", default=None, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "code", "name", "manager", "manager_name", "is_active"]


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["team", "starts_on", "ends_on"]


class EmployeeSerializer(serializers.ModelSerializer):
    position = serializers.CharField(source="position_name", read_only=True)
    salary_grade = serializers.CharField(source="grade_code", read_only=True)
    team = serializers.IntegerField(source="team_id_on", read_only=True, allow_null=True)  # null: in no team

    class Meta:
        model = Employee
        fields = ["id", "employee_number", "name", "hire_date", "probation_end", "status", "left_on",
                  "position", "salary_grade", "team"]
