"""Reminders: whoever holds an appraisal past its step's deadline gets one mail, however often the task runs;
HR's overdue list is the same query; the task runs on a real worker."""

from datetime import date

import pytest
from django.core import mail

from appraisals.models import Reminder, Step
from appraisals.selectors import overdue
from appraisals.tasks import send_appraisal_reminders
from salesops.settings.base import CELERY_BEAT_SCHEDULE
from tests.appraisals.conftest import advance, appraisal_of
from tests.kpis.results.worker import queued_on_redis, running_worker, task_runs, wait_for

AFTER_GOALS_DUE = date(2017, 8, 11)  # the goals were due on 10 August


@pytest.fixture
def with_emails(org):
    for employee in (org.manager_a, org.manager_b, org.director, org.hr, org.rep_a):
        employee.user.email = f"{employee.user.username}@example.com"
        employee.user.save(update_fields=["email"])


def test_the_task_run_twice_sends_each_reminder_once(org, cycle, with_emails, settings):
    settings.AS_OF_DATE = AFTER_GOALS_DUE
    advance(org, appraisal_of(cycle, org.rep_b), Step.SELF_REVIEW)  # rep_b's goals left in time
    first = send_appraisal_reminders()
    # the goals of rep_a and the mover wait for manager A, manager A's and B's for the director
    assert first == 4 and len(mail.outbox) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [org.manager_a.user.email] * 2 + [org.director.user.email] * 2)
    assert send_appraisal_reminders() == 0 and len(mail.outbox) == 4
    assert Reminder.objects.count() == 4


def test_nothing_is_sent_before_a_deadline_passes(org, cycle, with_emails, settings):
    settings.AS_OF_DATE = date(2017, 8, 10)  # the due day itself is in time
    assert send_appraisal_reminders() == 0 and mail.outbox == []


def test_hr_overdue_list_names_who_holds_what(org, cycle):
    late = overdue(AFTER_GOALS_DUE, cycle)
    assert {(o.appraisal.employee.name, o.holder) for o in late} == {
        (org.rep_a.name, "rater"), (org.rep_b.name, "rater"), (org.mover.name, "rater"),
        (org.manager_a.name, "rater"), (org.manager_b.name, "rater")}
    assert all(o.step == Step.GOALS and o.due_on == date(2017, 8, 10) for o in late)


def test_the_overdue_list_is_two_queries_at_any_size(org, cycle, django_assert_num_queries):
    advance(org, appraisal_of(cycle, org.rep_a), Step.VERIFICATION)  # held by HR: the staff are read once
    # 1. the late appraisals joined with cycle, team, employee and rater log-ins; 2. the HR and director log-ins
    with django_assert_num_queries(2):
        assert len(overdue(date(2017, 9, 30), cycle)) == 5


def test_the_reminders_run_every_morning():
    entry = CELERY_BEAT_SCHEDULE["appraisal-reminders"]
    assert entry["task"] == "appraisals.tasks.send_appraisal_reminders"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({8}, {0})


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_reminders(org, plan, settings):
    from tests.appraisals.conftest import open_cycle, roll_up

    roll_up()
    cycle = open_cycle(org, plan)
    org.manager_a.user.email = "a@example.com"
    org.manager_a.user.save(update_fields=["email"])
    settings.AS_OF_DATE = AFTER_GOALS_DUE
    with queued_on_redis(settings), task_runs() as runs, running_worker():
        send_appraisal_reminders.delay()
        wait_for(lambda: runs, what="the reminders task")
    assert runs == [("appraisals.tasks.send_appraisal_reminders", "SUCCESS")]
    assert set(Reminder.objects.filter(appraisal__cycle=cycle).values_list("to__email", flat=True)) == {
        "a@example.com"}
