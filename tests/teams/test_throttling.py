"""Rate limits: per token and per user, a 429 with Retry-After in the error shape; the rates come from settings
(tests/conftest.py empties the cache they count in before each test)."""

import pytest
from rest_framework.settings import api_settings

from teams.tokens import services
from tests.api_errors import error_codes

LIST = "/api/v1/metrics/"


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"token": "3/minute", "user": "5/minute"}}
    assert api_settings.DEFAULT_THROTTLE_RATES["token"] == "3/minute"  # DRF reloads its settings on the override


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}", "Accept-Language": "en"}


def test_a_token_over_its_rate_gets_429_with_retry_after(client, org, low_rates):
    key = services.token_create(user=org.rep_a.user, name="脚本").key
    assert [client.get(LIST, headers=bearer(key)).status_code for _ in range(3)] == [200] * 3
    response = client.get(LIST, headers=bearer(key))
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60
    assert error_codes(response) == ["throttled"] and "throttled" in response.json()["errors"][0]["message"]


def test_each_token_has_its_own_budget_and_the_user_one_for_all(client, org, low_rates):
    first = services.token_create(user=org.rep_a.user, name="一").key
    second = services.token_create(user=org.rep_a.user, name="二").key
    assert [client.get(LIST, headers=bearer(first)).status_code for _ in range(4)] == [200, 200, 200, 429]
    # the second token's own budget is fresh, but the user's (5) is all but spent: the first token's four calls
    # count for the user, the refused one too (DRF asks every throttle), so one more goes through
    assert [client.get(LIST, headers=bearer(second)).status_code for _ in range(3)] == [200, 429, 429]
    client.force_login(org.rep_a.user)
    assert client.get(LIST).status_code == 429  # the browser counts for the same user
    client.force_login(org.rep_b.user)
    assert client.get(LIST).status_code == 200  # someone else is not held back


def test_the_suite_runs_with_rates_far_above_what_a_test_sends():
    assert api_settings.DEFAULT_THROTTLE_RATES == {"token": "100000/minute", "user": "100000/minute"}
