"""Log-in throttling (django-axes: per user name, and higher per address), the lock-out page in Chinese, the
admin's unlock; an employee's access ends on their leaving date, at log-in and in a session begun before."""

from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from teams import audit, services
from teams.authentication import client_ip
from teams.models import AccessEvent
from tests import factories

LOCKED = "登录失败次数过多"  # the lock-out message in Chinese (the log-in page's default language)


def attempt(address: str, username: str, password: str):
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password})


def fail(address: str, username: str, times: int) -> None:
    for _ in range(times):
        assert attempt(address, username, "wrong-password").status_code == 200  # the form again, not locked


def test_four_wrong_passwords_do_not_lock(org):
    fail("10.0.0.1", org.rep_a.user.username, 4)
    assert attempt("10.0.0.1", org.rep_a.user.username, "pw").status_code == 302


def test_five_wrong_passwords_lock_the_user_even_with_the_right_password_and_from_elsewhere(org):
    fail("10.0.0.1", org.rep_a.user.username, 4)
    fifth = attempt("10.0.0.1", org.rep_a.user.username, "wrong-password")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()
    for address in ("10.0.0.1", "10.0.0.2"):
        refused = attempt(address, org.rep_a.user.username, "pw")
        assert refused.status_code == 429, address
        page = refused.content.decode()
        assert LOCKED in page and "15 分钟" in page and 'name="password"' in page  # the log-in page, saying why


def test_another_user_from_another_address_is_unaffected(org):
    fail("10.0.0.1", org.rep_a.user.username, 4)
    assert attempt("10.0.0.1", org.rep_a.user.username, "wrong-password").status_code == 429
    assert attempt("10.0.0.2", org.rep_b.user.username, "pw").status_code == 302
    assert attempt("10.0.0.1", org.rep_b.user.username, "pw").status_code == 302  # the address is under its limit


def test_too_many_failures_from_one_address_lock_the_address(org, settings):
    for n in range(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        attempt("10.0.0.9", f"guess{n}", "wrong-password")  # a name once each: no user name reaches its limit
    assert LOCKED in attempt("10.0.0.9", org.rep_b.user.username, "pw").content.decode()
    assert attempt("10.0.0.10", org.rep_b.user.username, "pw").status_code == 302


def test_the_address_limit_is_higher_than_the_user_limit(org, settings):
    assert settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS > settings.AXES_FAILURE_LIMIT == 5
    for n in range(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS - 1):
        attempt("10.0.0.9", f"guess{n}", "wrong-password")
    assert attempt("10.0.0.9", org.rep_b.user.username, "pw").status_code == 302


def test_the_lock_ends_after_the_cool_off(org, settings):
    fail("10.0.0.1", org.rep_a.user.username, 4)
    attempt("10.0.0.1", org.rep_a.user.username, "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert attempt("10.0.0.1", org.rep_a.user.username, "pw").status_code == 302


def test_an_admin_unlocks_by_deleting_the_attempts_in_the_admin(org, admin_client):
    fail("10.0.0.1", org.rep_a.user.username, 4)
    attempt("10.0.0.2", org.rep_a.user.username, "wrong-password")  # two rows: one per address
    assert attempt("10.0.0.1", org.rep_a.user.username, "pw").status_code == 429
    changelist = reverse("admin:axes_accessattempt_changelist")
    listed = admin_client.get(changelist, {"q": org.rep_a.user.username})
    assert listed.status_code == 200 and "10.0.0.2" in listed.content.decode()
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    done = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert done.status_code == 302 and not AccessAttempt.objects.exists()
    assert attempt("10.0.0.1", org.rep_a.user.username, "pw").status_code == 302


@pytest.fixture
def leaving(org, settings):
    """A rep of team A whose leaving on 31 March HR recorded the day before: their log-in works until then."""
    settings.AS_OF_DATE = date(2017, 3, 30)
    rep = factories.employee(team=org.team_a, name="将离职")
    services.employee_leave(employee=rep, left_on=date(2017, 3, 31), reason="个人原因")
    rep.user.refresh_from_db()
    assert rep.user.is_active
    return rep


def test_a_leaver_cannot_log_in_from_their_leaving_date(leaving, settings):
    assert attempt("10.0.0.1", leaving.user.username, "pw").status_code == 302
    settings.AS_OF_DATE = date(2017, 3, 31)
    refused = attempt("10.0.0.1", leaving.user.username, "pw")
    assert refused.status_code == 200 and 'class="error"' in refused.content.decode()


def test_a_session_begun_before_the_leaving_date_ends_on_it(client, leaving, settings):
    client.force_login(leaving.user)
    assert client.get(reverse("teams:me")).status_code == 200
    settings.AS_OF_DATE = date(2017, 3, 31)
    response = client.get(reverse("teams:me"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_leaving_date_already_past_ends_the_log_in_at_once(org):
    org.leaver.user.refresh_from_db()  # left on 31 March 2017, recorded with today's date later
    assert not org.leaver.user.is_active
    assert AccessEvent.objects.filter(kind=audit.ACCESS_ENDED, user=org.leaver.user).exists()


def test_the_leaving_date_is_read_with_the_user_in_one_query(client, org):
    client.force_login(org.rep_a.user)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("teams:me"))
    users = [q["sql"] for q in queries.captured_queries if 'FROM "teams_user"' in q["sql"]]
    assert len(users) == 1 and '"teams_employee"' in users[0]


@pytest.mark.parametrize(("remote", "forwarded", "proxies", "expected"), [
    ("10.0.0.1", "", 0, "10.0.0.1"),
    ("10.0.0.1", "1.2.3.4", 0, "10.0.0.1"),            # no proxy of ours: the header is the client's word
    ("10.0.0.1", "6.6.6.6, 1.2.3.4", 1, "1.2.3.4"),    # one proxy: the address it saw, not what the client wrote
    ("10.0.0.1", "", 1, "10.0.0.1"),
    ("not an address", "", 0, None),
])
def test_the_client_address_trusts_only_our_own_proxies(rf, settings, remote, forwarded, proxies, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
