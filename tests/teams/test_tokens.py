"""Personal API tokens: made on the token page (shown once), listed, revoked; stored hashed; refused when revoked,
expired or their user may no longer sign in; acting with exactly their user's scope."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from teams.models import AccessEvent, ApiToken, User
from teams.tokens import services
from tests.api_errors import error_codes, errors_by_field

FIGURES = "/api/v1/figures/"


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}", "Accept-Language": "en"}


def make(employee, name="脚本", **kwargs) -> services.CreatedToken:
    return services.token_create(user=employee.user, name=name, **kwargs)


# --- the page ------------------------------------------------------------------------------------------------------

def test_a_user_creates_a_token_and_sees_it_once(client, org):
    client.force_login(org.rep_a.user)
    response = client.post(reverse("teams:tokens"), {"name": "周报脚本", "lifetime": "90"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = response.context["created"].key
    token = ApiToken.objects.get()
    assert key in response.content.decode() and key.startswith(token.prefix)
    assert (token.user, token.name, token.revoked_at) == (org.rep_a.user, "周报脚本", None)
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    listed = client.get(reverse("teams:tokens")).content.decode()
    assert "周报脚本" in listed and token.prefix in listed and key not in listed  # never shown again


def test_the_page_lists_only_ones_own_tokens_in_chinese(client, org):
    make(org.rep_a, "甲的脚本")
    make(org.rep_b, "乙的脚本")
    client.force_login(org.rep_a.user)
    page = client.get(reverse("teams:tokens")).content.decode()
    assert "甲的脚本" in page and "乙的脚本" not in page
    assert "API 令牌" in page and "从未使用" in page
    assert "<th>名称</th>" in page and "姓名" not in page  # a token's name, not a person's


def test_a_nameless_token_is_refused_with_the_form_again(client, org):
    client.force_login(org.rep_a.user)
    response = client.post(reverse("teams:tokens"), {"name": "  "})
    assert response.status_code == 200 and response.context["form"].errors and not ApiToken.objects.exists()


def test_a_user_revokes_their_token_and_it_stops_working(client, org):
    created = make(org.rep_a)
    client.force_login(org.rep_a.user)
    response = client.post(reverse("teams:token_revoke", args=[created.token.pk]))
    assert response.status_code == 302
    created.token.refresh_from_db()
    assert created.token.revoked_at and created.token.revoked_by == org.rep_a.user
    client.logout()
    assert client.get(FIGURES, headers=bearer(created.key)).status_code == 401


def test_nobody_revokes_someone_elses_token_on_the_page_not_even_the_director(client, org, unchanged):
    created = make(org.rep_a)
    client.force_login(org.director.user)
    with unchanged():
        assert client.post(reverse("teams:token_revoke", args=[created.token.pk])).status_code == 404


def test_the_profile_links_to_the_token_page(client, org):
    client.force_login(org.rep_a.user)
    assert reverse("teams:tokens") in client.get(reverse("teams:me")).content.decode()


def test_an_admin_revokes_anyones_token_and_the_admin_never_shows_a_secret(admin_client, org):
    created = make(org.rep_a)
    url = reverse("admin:teams_apitoken_changelist")
    page = admin_client.get(url).content.decode() + admin_client.get(
        reverse("admin:teams_apitoken_change", args=[created.token.pk])).content.decode()
    assert created.token.prefix in page
    assert created.key not in page and created.token.secret_hash not in page
    response = admin_client.post(url, {"action": "revoke", admin.helpers.ACTION_CHECKBOX_NAME: [created.token.pk]})
    assert response.status_code == 302
    created.token.refresh_from_db()
    assert created.token.revoked_at is not None


def test_the_management_command_prints_a_working_token_once(client, org, capsys):
    call_command("api_token_create", org.manager_a.user.username, "BI 看板")
    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.get().name == "BI 看板"
    assert client.get(FIGURES, headers=bearer(key)).status_code == 200


# --- storage -------------------------------------------------------------------------------------------------------

def test_the_database_holds_only_the_tokens_hash(org):
    created = make(org.rep_a)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM teams_apitoken")
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert created.key not in stored
    assert hashlib.sha256(created.key.encode()).hexdigest() in stored
    assert len(created.key) >= 40  # 32 random bytes behind the mark


# --- authentication ------------------------------------------------------------------------------------------------

def test_a_token_signs_in_without_csrf_and_notes_its_last_use_at_most_once_a_minute(client, org,
                                                                                     django_assert_num_queries):
    created = make(org.manager_a)
    response = client.put(FIGURES, {"team": org.team_a.pk, "week": "2017-08-07", "rows": [
        {"employee": org.rep_a.pk, "values": {"new_customers": "3"}}]}, content_type="application/json",
        headers=bearer(created.key))
    assert response.status_code == 200, response.content  # a script sends no CSRF token: none is needed
    token = ApiToken.objects.get()
    assert token.last_used_at and token.last_used_ip == "127.0.0.1"
    first = token.last_used_at
    # the token with its user, the principal, count, page: no write of the last use within the minute
    with django_assert_num_queries(4):
        assert client.get(FIGURES, headers=bearer(created.key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(FIGURES, headers=bearer(created.key))
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_tokens_creation_use_and_revocation_are_in_the_audit_of_access(client, org):
    client.force_login(org.rep_a.user)
    created = client.post(reverse("teams:tokens"), {"name": "周报脚本", "lifetime": "90"}).context["created"]
    client.logout()
    assert client.get(FIGURES, headers=bearer(created.key)).status_code == 200
    client.get(FIGURES, headers=bearer(created.key))  # within the minute: noted once
    services.token_revoke(token=created.token, by=org.director.user)
    events = list(AccessEvent.objects.filter(kind__startswith="token_").order_by("pk")
                  .values_list("kind", "user", "ip_address"))
    assert events == [("token_created", org.rep_a.user.pk, "127.0.0.1"), ("token_used", org.rep_a.user.pk, "127.0.0.1"),
                      ("token_revoked", org.director.user.pk, None)]
    assert all(created.token.prefix in e.detail and created.key not in e.detail
               for e in AccessEvent.objects.filter(kind__startswith="token_"))  # which token, never its key


def _expired(org):
    created = make(org.rep_a, expires_at=timezone.now() + timedelta(days=1))
    ApiToken.objects.filter(pk=created.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    return created.key


def _revoked(org):
    created = make(org.rep_a)
    services.token_revoke(token=created.token, by=org.rep_a.user)
    return created.key


def _leavers(org):
    created = make(org.rep_a)
    # what the leaving date does to a leaver's log-in (the security branch's scheduled task): it is deactivated
    User.objects.filter(pk=org.rep_a.user.pk).update(is_active=False)
    return created.key


def _forged(org):
    created = make(org.rep_a)
    return created.key[:-4] + ("AAAA" if not created.key.endswith("AAAA") else "BBBB")


@pytest.mark.parametrize("case", [_expired, _revoked, _leavers, _forged])
def test_a_dead_token_gets_401_in_the_error_shape(client, org, case):
    key = case(org)
    response = client.get(FIGURES, headers=bearer(key))
    assert response.status_code == 401
    assert error_codes(response) == ["authentication_failed"]
    assert "revoked or expired" in errors_by_field(response)[None][0]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_refusal_comes_in_chinese_by_default(client, org):
    response = client.get(FIGURES, headers={"Authorization": "Bearer sop_nothing"})
    assert response.status_code == 401 and "令牌" in errors_by_field(response)[None][0]


def test_a_malformed_authorization_header_is_401(client, org):
    assert client.get(FIGURES, headers={"Authorization": "Bearer a b"}).status_code == 401


def test_a_reps_token_sees_only_what_the_rep_sees(client, org):
    from tests.kpis.test_api import enter

    enter(org.manager_a, org.rep_a)
    enter(org.manager_b, org.rep_b)
    key = make(org.rep_a).key
    rows = client.get(FIGURES, headers=bearer(key)).json()["results"]
    assert {r["employee"] for r in rows} == {org.rep_a.pk}
    assert client.get(f"{FIGURES}?team={org.team_b.pk}", headers=bearer(key)).status_code == 404
    assert client.get(f"/api/v1/employees/{org.rep_b.pk}/", headers=bearer(key)).status_code == 404
    assert client.get("/api/v1/plans/", headers=bearer(key)).status_code == 403  # a rep's role: no plans
    body = {"team": org.team_a.pk, "week": "2017-08-07", "rows": [{"employee": org.rep_a.pk, "values": {}}]}
    assert client.put(FIGURES, body, content_type="application/json", headers=bearer(key)).status_code == 404


def test_a_session_still_needs_csrf_for_a_write(org):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org.manager_a.user)
    response = browser.post("/api/v1/figures/submit/", {"team": org.team_a.pk, "week": "2017-08-07"},
                            content_type="application/json")
    assert response.status_code == 403 and "CSRF" in errors_by_field(response)[None][0]
