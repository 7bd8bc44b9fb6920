"""Reminders: whoever holds an appraisal past its step's due date gets one mail, however often this runs."""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from teams.models import User

from ..models import Reminder, Step
from ..selectors.overdue import Overdue, overdue


def _send(item: Overdue, user: User) -> None:
    steps = dict(Step.choices)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Appraisal overdue: %(employee)s, %(step)s") % {
            "employee": item.appraisal.employee.name, "step": steps[item.step]}
        body = _("The step “%(step)s” of %(employee)s's appraisal in %(cycle)s was due on %(day)s and is waiting "
                 "for you.") % {"step": steps[item.step], "employee": item.appraisal.employee.name,
                                "cycle": item.appraisal.cycle.name, "day": item.due_on.isoformat()}
    send_mail(subject, body, None, [user.email])


def reminders_send(*, today: date) -> int:
    """Return how many reminders were sent: one per overdue appraisal, step and holder, ever. Each is claimed by
    inserting its Reminder row first, so a second run (or two at once) sends nothing again; a failed mail
    gives its claim back, to be tried the next day."""
    sent = 0
    for item in overdue(today):
        for user in item.users:
            if not user.email:
                continue  # no address: nothing to claim, HR's overdue list still shows it
            try:
                with transaction.atomic():
                    Reminder.objects.create(appraisal=item.appraisal, step=item.step, to=user, sent_at=timezone.now())
                    _send(item, user)
            except IntegrityError:
                continue  # claimed already: sent by an earlier run
            sent += 1
    return sent
