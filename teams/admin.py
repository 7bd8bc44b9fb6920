"""Admin screens for the organisation. Membership edits go through the same rule as the services."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import audit, clock, receivers, services
from .errors import DomainError
from .models import (
    AccessEvent,
    ApiToken,
    Appointment,
    Employee,
    Membership,
    Position,
    SalaryGrade,
    StateEvent,
    Team,
    TeamManagerChange,
    User,
)
from .tokens import services as tokens


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record kept by the services (history, audit): browsed and searched in the admin, never added, edited or
    deleted there."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "role", "is_active", "is_staff", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Role"), {"fields": ["role"]}))


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["level", "code", "name", "name_en", "is_management"]
    list_display_links = ["code", "name"]
    search_fields = ["code", "name", "name_en"]


@admin.register(SalaryGrade)
class SalaryGradeAdmin(admin.ModelAdmin):
    list_display = ["level", "code", "name", "monthly_base"]
    list_display_links = ["code", "name"]
    search_fields = ["code", "name"]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["employee", "team", "starts_on", "ends_on"]

    def clean(self):
        data = super().clean()
        employee, starts_on = data.get("employee") or getattr(self.instance, "employee", None), data.get("starts_on")
        if employee and starts_on:
            try:
                services.membership_check(employee=employee, starts_on=starts_on, ends_on=data.get("ends_on"),
                                          exclude_pk=self.instance.pk)
            except DomainError as error:
                raise forms.ValidationError({error.field or "starts_on": error.message}) from error
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["team"]


class AppointmentInline(admin.TabularInline):
    """Past appointments are read-only: a change is a new row with its own date."""

    model = Appointment
    extra = 0
    fields = ["effective_from", "position", "salary_grade", "reason", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["employee_number", "name", "hire_date", "probation_end", "status", "left_on"]
    list_filter = ["status", "memberships__team", "hire_date"]
    search_fields = ["employee_number", "name", "user__username"]
    date_hierarchy = "hire_date"
    inlines = [AppointmentInline, MembershipInline]
    autocomplete_fields = ["user"]


class _DryRun(Exception):
    """Raised inside the form's savepoint so the trial change of manager is rolled back."""


class TeamForm(forms.ModelForm):
    """A change of the team's manager goes through services.team_manager_change (dated, with its reason, as a
    TeamManagerChange), never as a bare edit of the field; the form tries it in a savepoint first, so a refusal is
    shown on the field it names and nothing is written."""

    manager_from = forms.DateField(label=_("manager from"), required=False,
                                   help_text=_("The day the new manager takes over (today if empty)."))
    manager_reason = forms.CharField(label=_("reason for the change of manager"), required=False, max_length=200)

    _FIELDS = {"manager": "manager", "reason": "manager_reason", "effective_on": "manager_from"}

    class Meta:
        model = Team
        fields = ["code", "name", "manager", "is_active"]

    def manager_changes(self) -> bool:
        return "manager" in self.changed_data and (self.instance.pk is not None or self.cleaned_data.get("manager"))

    def clean(self):
        data = super().clean()
        if self.errors or not self.manager_changes():
            return data
        data["manager_from"] = data.get("manager_from") or clock.today()
        try:
            with transaction.atomic():
                team = self._saved_with_old_manager()
                services.team_manager_change(team=team, manager=data.get("manager"), effective_on=data["manager_from"],
                                             reason=data.get("manager_reason", ""), by=self.user)
                raise _DryRun
        except _DryRun:
            pass
        except DomainError as error:
            raise forms.ValidationError({self._FIELDS.get(error.field, None): error.message}) from error
        return data

    def _saved_with_old_manager(self) -> Team:
        old = Team.objects.filter(pk=self.instance.pk).values_list("manager_id", flat=True).first()
        team = Team(pk=self.instance.pk, code=self.cleaned_data["code"], name=self.cleaned_data["name"],
                    is_active=self.cleaned_data.get("is_active", True), manager_id=old)
        team.save()
        return team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamForm
    list_display = ["code", "name", "manager", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "manager__name"]
    autocomplete_fields = ["manager"]
    fields = ["code", "name", "manager", "manager_from", "manager_reason", "is_active"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # the change of manager is recorded in this user's name
        return form

    def save_model(self, request, obj, form, change) -> None:
        if not form.manager_changes():
            return super().save_model(request, obj, form, change)
        new_manager = obj.manager
        obj.manager_id = Team.objects.filter(pk=obj.pk).values_list("manager_id", flat=True).first()
        super().save_model(request, obj, form, change)
        services.team_manager_change(team=obj, manager=new_manager, effective_on=form.cleaned_data["manager_from"],
                                     reason=form.cleaned_data.get("manager_reason", ""), by=request.user)
        obj.refresh_from_db(fields=["manager"])


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["employee", "team", "starts_on", "ends_on"]
    list_filter = ["team", "starts_on"]
    search_fields = ["employee__name", "employee__employee_number", "team__name"]
    autocomplete_fields = ["employee", "team"]
    date_hierarchy = "starts_on"


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["employee", "effective_from", "position", "salary_grade", "reason", "recorded_by"]
    list_filter = ["position", "salary_grade"]
    search_fields = ["employee__name", "employee__employee_number", "reason"]
    date_hierarchy = "effective_from"
    autocomplete_fields = ["employee"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # history is appended, never rewritten


@admin.register(StateEvent)
class StateEventAdmin(ReadOnlyAdmin):
    """The state history of every subject: written by the services' moves, never added, edited or deleted here."""

    list_display = ["at", "subject_type", "subject_id", "action", "from_state", "to_state", "by", "reason"]
    list_filter = ["subject_type", "action", "to_state", "at"]
    search_fields = ["reason", "by__username", "by__employee__name"]
    date_hierarchy = "at"
    list_select_related = ["by"]


@admin.register(TeamManagerChange)
class TeamManagerChangeAdmin(ReadOnlyAdmin):
    """Who led which team from when: written by services.team_manager_change, never added, edited or deleted here."""

    list_display = ["team", "effective_on", "old_manager", "new_manager", "reason", "source_type", "source_id",
                    "recorded_by", "recorded_at"]
    list_filter = ["team", "source_type"]
    search_fields = ["team__name", "old_manager__name", "new_manager__name", "reason"]
    date_hierarchy = "effective_on"
    list_select_related = ["team", "old_manager", "new_manager", "recorded_by"]


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    """The audit of access (teams/audit.py): browsed and searched here, never added, edited or deleted."""

    list_display = ["at", "kind", "username", "user", "ip_address", "detail", "user_agent"]
    list_filter = ["kind", ("user", admin.RelatedOnlyFieldListFilter), "at"]
    search_fields = ["username", "ip_address", "detail"]
    date_hierarchy = "at"
    list_select_related = ["user"]


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """django-axes' failed log-ins per user name and address; deleting a row (or selecting rows and the delete
    action) unlocks whom it locked."""


@admin.action(permissions=["delete"], description=delete_selected.short_description)
def audited_delete_selected(modeladmin, request, queryset):
    """Django's delete action, recording a deletion of several objects as access events too: Django logs those
    with bulk_create, which sends no post_save for the receiver (one object is logged, and recorded, as usual)."""
    doomed = [(obj.pk, str(obj)) for obj in queryset] if request.POST.get("post") else []
    response = delete_selected(modeladmin, request, queryset)
    if response is None and len(doomed) > 1:  # None: deleted (a refusal or the confirmation is a page)
        for pk, name in doomed:
            audit.access_event(audit.ADMIN_CHANGE, request=request,
                               detail=receivers.admin_detail("deleted", queryset.model, pk, name))
    return response


admin.site.add_action(audited_delete_selected, "delete_selected")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone's tokens, to see and revoke: never the key (it is not stored) nor its hash. Made on the token page
    or with `manage.py api_token_create`; revoked, not deleted, so their last use stays on record."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "last_used_ip", "expires_at",
                    "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "last_used_ip", "revoked_at",
              "revoked_by"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        done = sum(tokens.token_revoke(token=t, by=request.user, request=request) for t in queryset)
        self.message_user(request, _("%(n)s tokens revoked.") % {"n": done}, messages.SUCCESS)
