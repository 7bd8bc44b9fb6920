"""The notice board's endpoints by role: everyone reads the board (pinned first, newest, read or unread, the unread
count) and marks notices read; a gone notice is 404 for all but its writers; the director and HR publish and act at
a version (stale: 409 with the current one); bad input 400 naming the field; nothing written on a refusal."""

import pytest

from rewards.models import Notice, NoticeRead
from rewards.services.notices import notice_publish, notice_read_mark, notice_withdraw
from tests.api_errors import errors_by_field

LIST = "/api/v1/notices/"


def call(client, who, method: str, url: str, body: dict | None = None):
    client.force_login(who.user)
    return getattr(client, method)(url, body, content_type="application/json", headers={"Accept-Language": "en"})


def test_the_board_lists_pinned_first_then_newest_with_read_marks_and_the_unread_count(client, org):
    old = notice_publish(by=org.hr.user, title="旧通知")
    pinned = notice_publish(by=org.director.user, title="置顶", pinned=True)
    new = notice_publish(by=org.hr.user, title="新通知")
    notice_read_mark(user=org.rep_a.user, notice_id=old.pk)
    body = call(client, org.rep_a, "get", LIST).json()
    assert [(n["id"], n["is_read"]) for n in body["results"]] == [(pinned.pk, False), (new.pk, False),
                                                                 (old.pk, True)]
    assert body["unread"] == 2 and body["results"][0]["published_by"] == org.director.name


def test_marking_one_and_all_read(client, org):
    first = notice_publish(by=org.hr.user, title="一")
    notice_publish(by=org.hr.user, title="二")
    assert call(client, org.rep_a, "post", f"{LIST}{first.pk}/read/").json()["notice"] == first.pk
    assert call(client, org.rep_a, "get", f"{LIST}{first.pk}/").json()["is_read"] is True
    done = call(client, org.rep_a, "post", f"{LIST}read-all/").json()
    assert done == {"marked": 1, "unread": 0}
    assert NoticeRead.objects.filter(user=org.rep_a.user).count() == 2
    assert call(client, org.rep_b, "get", LIST).json()["unread"] == 2  # another reader's marks are their own


def test_a_withdrawn_notice_is_gone_for_all_but_the_director_and_hr(client, org, unchanged):
    notice = notice_publish(by=org.hr.user, title="撤回的")
    notice_withdraw(notice_id=notice.pk, version=notice.version, by=org.hr.user)
    for who in (org.rep_a, org.manager_a, org.general_manager):
        assert call(client, who, "get", f"{LIST}{notice.pk}/").status_code == 404
        with unchanged():
            assert call(client, who, "post", f"{LIST}{notice.pk}/read/").status_code == 404
    assert call(client, org.hr, "get", f"{LIST}{notice.pk}/").status_code == 200
    assert [n["id"] for n in call(client, org.director, "get", f"{LIST}?show=gone").json()["results"]] == [notice.pk]
    assert call(client, org.rep_a, "get", f"{LIST}?show=gone").json()["results"] == []  # the board, for them
    assert call(client, org.rep_a, "get", f"{LIST}{2**31 - 1}/").status_code == 404


@pytest.mark.parametrize("role", ["director", "hr"])
def test_the_director_and_hr_publish_an_announcement(client, org, role):
    response = call(client, org.by_role(role), "post", LIST, {"title": "年会", "body": "12 月", "pinned": True})
    assert response.status_code == 201, response.content
    assert (response.json()["title"], response.json()["pinned"], response.json()["kind"]) == ("年会", True,
                                                                                            "announcement")


@pytest.mark.parametrize("role", ["general_manager", "manager_a", "rep_a"])
def test_anyone_else_may_not_publish_or_act(client, org, unchanged, role):
    notice = notice_publish(by=org.hr.user, title="通知")
    with unchanged():
        assert call(client, org.by_role(role), "post", LIST, {"title": "我的"}).status_code == 403
        assert call(client, org.by_role(role), "post", f"{LIST}{notice.pk}/act/",
                    {"action": "pin", "version": 1}).status_code == 403


@pytest.mark.parametrize(("body", "field"), [({"title": " "}, "title"), ({"title": "x" * 121}, "title"),
                                              ({"title": "好", "expires_on": "2001-01-01"}, "expires_on"),
                                              ({"title": "好", "expires_on": "soon"}, "expires_on")])
def test_a_refused_announcement_names_its_field_and_writes_nothing(client, org, unchanged, body, field):
    with unchanged():
        response = call(client, org.hr, "post", LIST, body)
    assert response.status_code == 400 and field in errors_by_field(response)


def test_pinning_and_withdrawing_at_the_version_read_and_a_stale_one_is_409(client, org, unchanged):
    notice = notice_publish(by=org.hr.user, title="通知")
    pinned = call(client, org.director, "post", f"{LIST}{notice.pk}/act/", {"action": "pin", "version": 1})
    assert pinned.status_code == 200 and pinned.json()["pinned"] and pinned.json()["version"] == 2
    with unchanged():
        stale = call(client, org.hr, "post", f"{LIST}{notice.pk}/act/", {"action": "withdraw", "version": 1})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2 and "version" in errors_by_field(stale)
    gone = call(client, org.hr, "post", f"{LIST}{notice.pk}/act/", {"action": "withdraw", "version": 2})
    assert gone.status_code == 200 and gone.json()["withdrawn_at"]
    with unchanged():
        assert call(client, org.hr, "post", f"{LIST}{notice.pk}/act/",
                    {"action": "unpin", "version": 3}).status_code == 400  # withdrawn: nothing more to do
    assert call(client, org.hr, "post", f"{LIST}{notice.pk}/act/", {"action": "hide", "version": 3}).status_code == 400
    assert Notice.objects.get().version == 3


@pytest.mark.parametrize("size", [3, 30])
def test_the_board_reads_the_same_queries_however_many_notices(client, org, django_assert_num_queries, size):
    for n in range(size):
        notice = notice_publish(by=org.hr.user, title=f"通知{n}", pinned=n == 0)
        if n % 2:
            notice_read_mark(user=org.rep_a.user, notice_id=notice.pk)
    client.force_login(org.rep_a.user)
    # session, user, principal; the page's count, the page of notices with their read marks, the unread count
    with django_assert_num_queries(6):
        body = client.get(LIST).json()
    assert body["count"] == size


def test_an_act_may_send_the_notices_etag_as_if_match(client, org, unchanged):
    notice = notice_publish(by=org.hr.user, title="通知")
    client.force_login(org.director.user)
    tag = client.get(f"{LIST}{notice.pk}/")["ETag"]
    pinned = client.post(f"{LIST}{notice.pk}/act/", {"action": "pin"}, content_type="application/json",
                         headers={"If-Match": tag})
    assert pinned.status_code == 200 and pinned["ETag"] == '"2"'
    with unchanged():
        stale = client.post(f"{LIST}{notice.pk}/act/", {"action": "unpin"}, content_type="application/json",
                            headers={"If-Match": tag})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2 and "version" in errors_by_field(stale)
