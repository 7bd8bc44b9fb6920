"""A session ends after a working day idle (SESSION_COOKIE_AGE): renewed while in use, at most once in
SESSION_RENEW_SECONDS, so that a page does not write its session on every request."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_just_begun_is_not_written_again(client, org):
    client.force_login(org.rep_a.user)
    before = _session(client).expire_date
    assert client.get(reverse("teams:me")).status_code == 200
    assert _session(client).expire_date == before


def test_a_session_in_use_is_renewed_for_another_working_day(client, org, settings):
    client.force_login(org.rep_a.user)
    idle = timedelta(seconds=settings.SESSION_RENEW_SECONDS + 1)
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE) - idle)
    response = client.get(reverse("teams:me"))
    assert response.status_code == 200
    left = _session(client).expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 5) < left <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_session_idle_for_a_working_day_has_ended(client, org, settings):
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    client.force_login(org.rep_a.user)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("teams:me"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
