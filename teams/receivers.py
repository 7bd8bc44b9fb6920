"""What Django, django-axes and the admin announce about access, recorded as access events (teams/audit.py).
Connected in TeamsConfig.ready; each receiver only names the event."""

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

from . import audit

ADMIN_ACTIONS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


def logged_in(sender, request, user, **kwargs) -> None:
    audit.access_event(audit.LOGIN, request=request, user=user)


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit.access_event(audit.LOGIN_FAILED, request=request, username=str(credentials.get("username") or ""))


def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit.access_event(audit.LOCKED_OUT, request=request, username=str(username or ""))


def logged_out(sender, request, user, **kwargs) -> None:
    audit.access_event(audit.LOGOUT, request=request, user=user)


def admin_changed(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs) -> None:
    """One admin change: the object (its model, id and name), the action and the admin's message."""
    if created and not raw:
        audit.access_event(audit.ADMIN_CHANGE, user=instance.user, detail=admin_detail(
            ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)), instance.content_type.model_class(),
            instance.object_id, instance.object_repr, instance.get_change_message()))


def admin_detail(action: str, model, object_id, name: str, message: str = "") -> str:
    """Return "changed teams.employee #12 王五: Changed name." for an admin change."""
    label = model._meta.label_lower if model is not None else "?"
    return f"{action} {label} #{object_id} {name}" + (f": {message}" if message else "")


def connect() -> None:
    user_logged_in.connect(logged_in, dispatch_uid="audit_login")
    user_login_failed.connect(login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit_locked_out")
    user_logged_out.connect(logged_out, dispatch_uid="audit_logout")
    post_save.connect(admin_changed, sender=LogEntry, dispatch_uid="audit_admin_change")
