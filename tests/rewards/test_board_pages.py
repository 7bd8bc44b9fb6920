"""The notice board's pages for each role: the order (pinned, then newest), expiry and withdrawal, read and unread
per user in the list and in the header, mark all read, the announcement form, the acts, and the start pages'
card; the board's queries at two sizes."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from rewards.models import Notice
from rewards.services.notices import notice_change, notice_publish, notice_read_mark, notice_withdraw

TODAY = date(2017, 10, 27)


@pytest.fixture(autouse=True)
def today(settings):
    settings.AS_OF_DATE = TODAY


def titles(response) -> list[str]:
    return [n.title for n in response.context["page"].object_list]


def header_count(response) -> str:
    """Return the header's unread count as the page shows it ("" when none)."""
    html = response.content.decode()
    start = html.index('id="unread-notices"')
    link = html[start:html.index("</a>", start)]
    return link.split('class="count"')[1].split(">")[1].split("<")[0] if 'class="count"' in link else ""


def test_pinned_first_then_newest(client, org):
    old_pinned = notice_publish(by=org.hr.user, title="置顶旧", pinned=True)
    notice_publish(by=org.hr.user, title="旧")
    notice_publish(by=org.director.user, title="新")
    client.force_login(org.rep_a.user)
    assert titles(client.get(reverse("rewards:board"))) == ["置顶旧", "新", "旧"]
    notice_change(notice_id=old_pinned.pk, version=1, by=org.hr.user, pinned=False)
    assert titles(client.get(reverse("rewards:board"))) == ["新", "旧", "置顶旧"]


def test_expired_and_withdrawn_notices_leave_the_board(client, org, settings):
    notice_publish(by=org.hr.user, title="今天到期", expires_on=TODAY)
    notice_publish(by=org.hr.user, title="下月到期", expires_on=TODAY + timedelta(days=30))
    gone = notice_publish(by=org.hr.user, title="撤回")
    notice_withdraw(notice_id=gone.pk, version=1, by=org.hr.user)
    client.force_login(org.rep_a.user)
    assert titles(client.get(reverse("rewards:board"))) == ["下月到期", "今天到期"]
    settings.AS_OF_DATE = TODAY + timedelta(days=1)
    assert titles(client.get(reverse("rewards:board"))) == ["下月到期"]
    assert client.get(reverse("rewards:notice", args=[gone.pk])).status_code == 404


@pytest.mark.parametrize(("role", "sees_gone"), [("director", True), ("hr", True), ("general_manager", False),
                                                 ("manager_a", False), ("rep_a", False)])
def test_only_the_director_and_hr_list_the_withdrawn_and_expired(client, org, role, sees_gone):
    notice_publish(by=org.hr.user, title="在")
    gone = notice_publish(by=org.hr.user, title="撤回")
    notice_withdraw(notice_id=gone.pk, version=1, by=org.hr.user)
    client.force_login(org.by_role(role).user)
    response = client.get(reverse("rewards:board"), {"show": "gone"})
    assert titles(response) == (["撤回"] if sees_gone else ["在"])
    opened = client.get(reverse("rewards:notice", args=[gone.pk]))
    assert opened.status_code == (200 if sees_gone else 404)


def test_read_and_unread_per_user_in_the_list_and_the_header(client, org):
    first = notice_publish(by=org.hr.user, title="一")
    notice_publish(by=org.hr.user, title="二")
    client.force_login(org.rep_a.user)
    page = client.get(reverse("rewards:board"))
    assert [n.is_read for n in page.context["page"].object_list] == [False, False]
    assert header_count(page) == "2"
    assert client.get(reverse("rewards:notice", args=[first.pk])).status_code == 200  # opening it marks it read
    page = client.get(reverse("rewards:board"))
    assert [(n.title, n.is_read) for n in page.context["page"].object_list] == [("二", False), ("一", True)]
    assert header_count(page) == "1"
    client.force_login(org.rep_b.user)
    assert header_count(client.get(reverse("teams:me"))) == "2"  # every page's header, per user


def test_mark_all_read_empties_the_count(client, org):
    notice_publish(by=org.hr.user, title="一")
    notice_publish(by=org.hr.user, title="二")
    client.force_login(org.manager_a.user)
    assert client.post(reverse("rewards:notice_read_all")).url == reverse("rewards:board")
    assert header_count(client.get(reverse("rewards:board"))) == ""
    client.force_login(org.rep_a.user)
    assert header_count(client.get(reverse("rewards:board"))) == "2"


def test_empty_board_says_so(client, org):
    client.force_login(org.rep_a.user)
    response = client.get(reverse("rewards:board"))
    assert titles(response) == []
    assert '<p class="empty">' in response.content.decode() and 'id="notices"' not in response.content.decode()


def test_the_board_is_paginated(client, org):
    for n in range(21):
        notice_publish(by=org.hr.user, title=f"通知{n}")
    client.force_login(org.rep_a.user)
    assert len(titles(client.get(reverse("rewards:board")))) == 20
    assert titles(client.get(reverse("rewards:board"), {"page": 2})) == ["通知0"]


@pytest.mark.parametrize(("role", "status"), [("director", 200), ("hr", 200), ("general_manager", 403),
                                              ("manager_a", 403), ("rep_a", 403)])
def test_who_may_open_the_announcement_form(client, org, role, status):
    client.force_login(org.by_role(role).user)
    assert client.get(reverse("rewards:notice_new")).status_code == status


def test_hr_publishes_through_the_form(client, org):
    client.force_login(org.hr.user)
    response = client.post(reverse("rewards:notice_new"), {"title": "年会", "body": "12 月 29 日", "pinned": "on",
                                                           "expires_on": "2017-12-31"})
    notice = Notice.objects.get()
    assert response.url == reverse("rewards:notice", args=[notice.pk])
    assert (notice.title, notice.pinned, notice.expires_on, notice.published_by) == ("年会", True,
                                                                                   date(2017, 12, 31), org.hr.user)


def test_a_past_expiry_comes_back_on_its_field(client, org, unchanged):
    client.force_login(org.director.user)
    with unchanged():
        response = client.post(reverse("rewards:notice_new"), {"title": "年会", "expires_on": "2017-01-01"})
    assert response.status_code == 200 and response.context["form"].errors.keys() == {"expires_on"}


def test_the_director_pins_and_withdraws_from_the_notice_page(client, org):
    notice = notice_publish(by=org.hr.user, title="年会")
    client.force_login(org.director.user)
    assert client.get(reverse("rewards:notice", args=[notice.pk])).context["acts"] == ["pin", "withdraw"]
    client.post(reverse("rewards:notice_act", args=[notice.pk]), {"action": "pin", "version": 1})
    notice.refresh_from_db()
    assert (notice.pinned, notice.version) == (True, 2)
    client.post(reverse("rewards:notice_act", args=[notice.pk]), {"action": "withdraw", "version": 1})  # stale
    notice.refresh_from_db()
    assert notice.withdrawn_at is None
    client.post(reverse("rewards:notice_act", args=[notice.pk]), {"action": "withdraw", "version": 2})
    notice.refresh_from_db()
    assert notice.withdrawn_at is not None


def test_a_rep_sees_no_acts_and_may_not_post_them(client, org, unchanged):
    notice = notice_publish(by=org.hr.user, title="年会")
    client.force_login(org.rep_a.user)
    assert client.get(reverse("rewards:notice", args=[notice.pk])).context["acts"] == []
    with unchanged():
        assert client.post(reverse("rewards:notice_act", args=[notice.pk]),
                           {"action": "withdraw", "version": 1}).status_code == 403


@pytest.mark.parametrize("role", ["director", "hr", "manager_a", "rep_a"])
def test_each_start_page_shows_the_newest_unread_or_pinned_notices(client, org, plan, role):
    pinned = notice_publish(by=org.hr.user, title="置顶", pinned=True)
    for n in range(4):
        notice_publish(by=org.hr.user, title=f"通知{n}")
    who = org.by_role(role).user
    notice_read_mark(user=who, notice_id=pinned.pk)  # read, but pinned: still on the card
    notice_read_mark(user=who, notice_id=Notice.objects.get(title="通知3").pk)  # read: off the card
    client.force_login(who)
    start = client.get(reverse("home"))
    html = client.get(start.url).content.decode()
    card = html[html.index('id="notices-card"'):]
    card = card[:card.index("</section>")]
    assert [t for t in ["置顶", "通知3", "通知2", "通知1", "通知0"] if t in card] == ["置顶", "通知2", "通知1"]
    assert reverse("rewards:board") in card


def test_the_card_says_when_nothing_is_unread(client, org, plan):
    client.force_login(org.rep_a.user)
    html = client.get(reverse("dashboards:mine")).content.decode()
    assert 'id="notices-card"' in html and reverse("rewards:board") in html


@pytest.mark.parametrize("size", [3, 20])
def test_the_board_queries_do_not_grow_with_the_notices(client, org, django_assert_num_queries, size):
    for n in range(size):
        notice = notice_publish(by=org.hr.user, title=f"通知{n}", pinned=n == 0)
        if n % 2:
            notice_read_mark(user=org.rep_a.user, notice_id=notice.pk)
    client.force_login(org.rep_a.user)
    # the session, the user, the principal (employee and teams led), the page's count, the page of notices with
    # their read marks, the header's unread count
    with django_assert_num_queries(6):
        response = client.get(reverse("rewards:board"))
    assert len(titles(response)) == min(size, 20)
