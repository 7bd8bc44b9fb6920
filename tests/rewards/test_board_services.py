"""Announcements on the notice board: who may write them, bad input refused on its field with nothing written,
pin, unpin and withdraw with the version (a stale one names who acted last), and each user's read marks."""

from datetime import date, timedelta

import pytest

from rewards.models import Notice, NoticeKind, NoticeRead
from rewards.selectors.board import unread_count
from rewards.services.notices import notice_change, notice_publish, notice_read_mark, notice_withdraw, notices_read_all
from teams import access
from teams.errors import DomainError
from teams.models import StateEvent

TODAY = date(2017, 10, 27)


@pytest.fixture(autouse=True)
def today(settings):
    settings.AS_OF_DATE = TODAY


def unread(employee) -> int:
    return unread_count(access.principal_of(employee.user), TODAY)


@pytest.mark.parametrize("role", ["director", "hr"])
def test_the_director_and_hr_publish_an_announcement(org, role):
    notice = notice_publish(by=org.by_role(role).user, title=" 年会通知 ", body="12 月 29 日", pinned=True,
                            expires_on=TODAY)
    assert (notice.kind, notice.title, notice.pinned, notice.expires_on) == (NoticeKind.ANNOUNCEMENT, "年会通知",
                                                                           True, TODAY)
    event = StateEvent.objects.get(subject_type="rewards.notice", subject_id=notice.pk)
    assert (event.action, event.by) == ("publish", org.by_role(role).user)


@pytest.mark.parametrize("role", ["general_manager", "manager_a", "rep_a"])
def test_no_one_else_writes_on_the_board(org, unchanged, role):
    with unchanged(), pytest.raises(DomainError) as refused:
        notice_publish(by=org.by_role(role).user, title="通知")
    assert refused.value.field == "action"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"title": "  "}, "title"),
    ({"title": "长" * 121}, "title"),
    ({"title": "通知", "body": "字" * 5001}, "body"),
    ({"title": "通知", "expires_on": TODAY - timedelta(days=1)}, "expires_on"),
    ({"title": "通知", "expires_on": "2017-12-01"}, "expires_on"),
])
def test_bad_announcements_are_refused_on_their_field(org, unchanged, kwargs, field):
    with unchanged(), pytest.raises(DomainError) as refused:
        notice_publish(by=org.hr.user, **kwargs)
    assert refused.value.field == field


def test_pin_unpin_and_expiry_bump_the_version_with_an_event_each(org):
    notice = notice_publish(by=org.hr.user, title="通知")
    notice = notice_change(notice_id=notice.pk, version=1, by=org.director.user, pinned=True)
    assert (notice.pinned, notice.version) == (True, 2)
    notice = notice_change(notice_id=notice.pk, version=2, by=org.hr.user, expires_on=date(2017, 11, 30))
    assert (notice.expires_on, notice.version) == (date(2017, 11, 30), 3)
    same = notice_change(notice_id=notice.pk, version=3, by=org.hr.user, pinned=True)  # nothing to change
    assert same.version == 3
    actions = StateEvent.objects.filter(subject_type="rewards.notice").order_by("pk").values_list("action", flat=True)
    assert list(actions) == ["publish", "pin", "expiry"]


def test_a_stale_version_is_refused_naming_who_acted_last(org, unchanged):
    notice = notice_publish(by=org.hr.user, title="通知")
    notice_change(notice_id=notice.pk, version=1, by=org.director.user, pinned=True)
    with unchanged(), pytest.raises(DomainError) as refused:
        notice_withdraw(notice_id=notice.pk, version=1, by=org.hr.user)
    assert refused.value.field == "version"
    assert org.director.name in refused.value.message and "pinned" in refused.value.message


def test_a_withdrawn_announcement_is_kept_and_cannot_be_changed(org, unchanged):
    notice = notice_publish(by=org.hr.user, title="通知")
    notice = notice_withdraw(notice_id=notice.pk, version=1, by=org.director.user)
    assert notice.withdrawn_at is not None and Notice.objects.filter(pk=notice.pk).exists()
    with unchanged(), pytest.raises(DomainError) as refused:
        notice_change(notice_id=notice.pk, version=notice.version, by=org.hr.user, pinned=True)
    assert refused.value.field == "notice_id"


def test_a_past_expiry_is_refused_when_changed_too(org, unchanged):
    notice = notice_publish(by=org.hr.user, title="通知")
    with unchanged(), pytest.raises(DomainError) as refused:
        notice_change(notice_id=notice.pk, version=1, by=org.hr.user, expires_on=date(2017, 1, 1))
    assert refused.value.field == "expires_on"


def test_a_ranking_notice_is_not_withdrawn_on_its_own(org, unchanged):
    notice = notice_publish(by=org.hr.user, title="排名")
    Notice.objects.filter(pk=notice.pk).update(kind=NoticeKind.RANKING)  # as ranking_publish makes it
    with unchanged(), pytest.raises(DomainError) as refused:
        notice_withdraw(notice_id=notice.pk, version=1, by=org.hr.user)
    assert refused.value.field == "notice_id"


@pytest.mark.parametrize("role", ["manager_a", "rep_a", "general_manager"])
def test_only_writers_pin_or_withdraw(org, unchanged, role):
    notice = notice_publish(by=org.hr.user, title="通知")
    with unchanged(), pytest.raises(DomainError) as refused:
        notice_withdraw(notice_id=notice.pk, version=1, by=org.by_role(role).user)
    assert refused.value.field == "action"


def test_unknown_notice_is_refused_naming_it(org, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        notice_change(notice_id=999999, version=1, by=org.hr.user, pinned=True)
    assert refused.value.field == "notice_id"


def test_read_marks_are_per_user_and_idempotent(org):
    first = notice_publish(by=org.hr.user, title="一")
    notice_publish(by=org.hr.user, title="二")
    assert (unread(org.rep_a), unread(org.rep_b)) == (2, 2)
    mark = notice_read_mark(user=org.rep_a.user, notice_id=first.pk)
    assert notice_read_mark(user=org.rep_a.user, notice_id=first.pk) == mark  # a second open changes nothing
    assert NoticeRead.objects.filter(user=org.rep_a.user).count() == 1
    assert (unread(org.rep_a), unread(org.rep_b)) == (1, 2)


def test_read_all_marks_only_what_is_on_the_board(org):
    notice_publish(by=org.hr.user, title="一")
    read = notice_publish(by=org.hr.user, title="二")
    gone = notice_publish(by=org.hr.user, title="三")
    notice_withdraw(notice_id=gone.pk, version=1, by=org.hr.user)
    notice_read_mark(user=org.rep_a.user, notice_id=read.pk)
    assert notices_read_all(user=org.rep_a.user) == 1
    assert notices_read_all(user=org.rep_a.user) == 0
    assert unread(org.rep_a) == 0 and unread(org.rep_b) == 2


def test_a_rep_cannot_mark_a_withdrawn_notice(org, unchanged):
    gone = notice_publish(by=org.hr.user, title="三")
    notice_withdraw(notice_id=gone.pk, version=1, by=org.hr.user)
    with unchanged(), pytest.raises(DomainError) as refused:
        notice_read_mark(user=org.rep_a.user, notice_id=gone.pk)
    assert refused.value.field == "notice_id"


def test_an_expired_notice_leaves_the_count(org, settings):
    notice_publish(by=org.hr.user, title="一", expires_on=TODAY)
    assert unread(org.rep_a) == 1  # on the board through its expiry day
    settings.AS_OF_DATE = TODAY + timedelta(days=1)
    assert unread_count(access.principal_of(org.rep_a.user), TODAY + timedelta(days=1)) == 0
