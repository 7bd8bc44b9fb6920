"""The reward rules' endpoints by role, through the same selectors and services as the rules pages: the director
edits, adds the defaults and runs the rules for a closed month, the general manager and HR read, others 403; a
change at a stale version is 409 with the current version; bad input 400 naming the field, nothing written."""

from datetime import date

import pytest

from kpis import services as figures
from kpis.results import services as rollups
from rewards.models import Record, Rule, RuleRun
from rewards.services.rules import DEFAULT_RULES, rule_save
from tests.api_errors import errors_by_field
from tests.rewards.test_rankings import FEBRUARY, MARCH, enter_march

LIST, DEFAULTS, RUN, RUNS = ("/api/v1/reward-rules/", "/api/v1/reward-rules/defaults/", "/api/v1/reward-rules/run/",
                             "/api/v1/reward-rules/runs/")
ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]
READS = [200, 200, 200, 403, 403, 403]
NEW = {"code": "top-rep", "name": "月度冠军", "comparison": "top", "metric": "attainment", "threshold": "1",
       "period": "month", "scope": "rep", "kind": "reward", "method": "cash", "amount": 2000,
       "text_template": "{name}"}


def call(client, who, method: str, url: str, body: dict | None = None, **headers):
    client.force_login(who.user)
    return getattr(client, method)(url, body, content_type="application/json",
                                   headers={"Accept-Language": "en", **headers})


@pytest.fixture
def rule(org) -> Rule:
    return rule_save(by=org.director.user, **{**NEW, "method": "notice", "amount": None, "threshold": 1})


def changed(rule: Rule, **values) -> dict:
    body = {k: v for k, v in NEW.items() if k != "code"} | {"method": "notice", "amount": None, "version": 1}
    return body | values


# --- who may ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, READS, strict=True)))
def test_the_rules_and_their_runs_are_read_as_the_page(client, org, rule, role, status):
    who = org.by_role(role)
    assert call(client, who, "get", LIST).status_code == status
    assert call(client, who, "get", f"{LIST}{rule.pk}/").status_code == status
    assert call(client, who, "get", RUNS).status_code == status


@pytest.mark.parametrize("role", ROLES[1:])
def test_only_the_director_writes_rules(client, org, rule, unchanged, role):
    who = org.by_role(role)
    with unchanged():
        assert call(client, who, "post", LIST, NEW).status_code == 403
        assert call(client, who, "put", f"{LIST}{rule.pk}/", changed(rule, name="新")).status_code == 403
        assert call(client, who, "post", DEFAULTS).status_code == 403
        assert call(client, who, "post", RUN, {"month": "2017-03-01"}).status_code == 403


def test_anonymous_is_401_and_an_unknown_rule_404(client, org, rule):
    assert client.get(LIST).status_code == 401
    assert call(client, org.hr, "get", f"{LIST}{2**31 - 1}/").status_code == 404
    assert call(client, org.director, "put", f"{LIST}{2**31 - 1}/", changed(rule)).status_code == 404


# --- reading, creating, changing --------------------------------------------------------------------------------

def test_a_rule_reads_as_its_page_with_its_etag(client, org, rule):
    response = call(client, org.general_manager, "get", f"{LIST}{rule.pk}/")
    assert response["ETag"] == '"1"'
    body = response.json()
    assert (body["code"], body["threshold"], body["method"], body["changed_by"]) == (
        "top-rep", "1.00", "notice", org.director.name)
    assert [r["id"] for r in call(client, org.hr, "get", LIST).json()["results"]] == [rule.pk]


def test_the_director_creates_a_rule(client, org):
    response = call(client, org.director, "post", LIST, NEW)
    assert response.status_code == 201, response.content
    made = Rule.objects.get()
    assert (made.code, made.amount, made.version) == ("top-rep", 2000, 1) and response["ETag"] == '"1"'


def test_the_director_changes_a_rule_at_its_version_or_its_etag(client, org, rule):
    response = call(client, org.director, "put", f"{LIST}{rule.pk}/", changed(rule, name="冠军"))
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response["ETag"] == '"2"'
    body = {k: v for k, v in changed(rule, name="冠军二").items() if k != "version"}
    tagged = call(client, org.director, "put", f"{LIST}{rule.pk}/", body, **{"If-Match": '"2"'})
    assert tagged.status_code == 200, tagged.content
    rule.refresh_from_db()
    assert (rule.name, rule.version, rule.code) == ("冠军二", 3, "top-rep")


def test_a_stale_version_is_409_with_the_current_version_and_changes_nothing(client, org, rule, unchanged):
    rule_save(by=org.director.user, rule_id=rule.pk, version=1, name="别人改过")
    with unchanged():
        response = call(client, org.director, "put", f"{LIST}{rule.pk}/", changed(rule, name="我的"))
    assert response.status_code == 409
    assert response.json()["current_version"] == 2 and list(errors_by_field(response)) == ["version"]


@pytest.mark.parametrize(("body", "field"), [
    ({"code": "bad code!"}, "code"),
    ({"code": "top-rep"}, "code"),                       # the fixture's code exists already
    ({"method": "cash", "amount": None}, "amount"),      # cash without its amount
    ({"comparison": "sometimes"}, "comparison"),
    ({"metric": "no_such_metric", "comparison": "gte"}, "metric"),
    ({"name": "  "}, "name"),
    ({"threshold": "abc"}, "threshold"),
    ({"period": "none"}, "period"),
])
def test_a_refused_rule_names_its_field_and_writes_nothing(client, org, rule, unchanged, body, field):
    with unchanged():
        response = call(client, org.director, "post", LIST, {**NEW, "code": "new-rule", **body})
    assert response.status_code == 400, response.content
    assert field in errors_by_field(response), response.json()


def test_a_refused_change_names_its_field_and_writes_nothing(client, org, rule, unchanged):
    with unchanged():
        response = call(client, org.director, "put", f"{LIST}{rule.pk}/", changed(rule, text_template=""))
        missing = call(client, org.director, "put", f"{LIST}{rule.pk}/", {"name": "x"})
    assert response.status_code == 400 and "text_template" in errors_by_field(response)
    assert missing.status_code == 400 and "version" in errors_by_field(missing)


# --- the defaults and a run -------------------------------------------------------------------------------------

def test_the_director_adds_the_missing_defaults_once(client, org, rule):
    first = call(client, org.director, "post", DEFAULTS)
    assert first.status_code == 200 and first.json() == {"added": len(DEFAULT_RULES)}
    assert call(client, org.director, "post", DEFAULTS).json() == {"added": 0}
    assert Rule.objects.count() == len(DEFAULT_RULES) + 1


def test_the_rules_run_only_on_a_closed_month(client, org, plan, rule, unchanged):
    with unchanged():
        response = call(client, org.director, "post", RUN, {"month": "2017-04-01"})
        malformed = call(client, org.director, "post", RUN, {"month": "April"})
    assert response.status_code == 400 and "month" in errors_by_field(response)
    assert malformed.status_code == 400 and "month" in errors_by_field(malformed)


def test_the_director_runs_the_rules_of_a_closed_month_and_the_page_lists_the_run(client, org, plan, rule,
                                                                                   settings):
    settings.AS_OF_DATE = date(2017, 10, 27)
    enter_march(org)
    rollups.recompute_all([FEBRUARY, MARCH, date(2017, 4, 1)])
    figures.month_close(month=MARCH, by=org.director.user)
    response = call(client, org.director, "post", RUN, {"month": "2017-03-15"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["month"] == "2017-03-01" and body["proposed"] == Record.objects.filter(rule=rule).count() == 1
    assert RuleRun.objects.get(month=MARCH).ran_at is not None
    runs = call(client, org.hr, "get", RUNS).json()
    assert runs[0]["month"] == "2017-03-01" and runs[0]["requested_by"] == org.director.name


@pytest.mark.parametrize("rules", [1, 12])
def test_the_list_reads_the_same_queries_however_many_rules(client, org, rules, django_assert_num_queries):
    for n in range(rules):
        rule_save(by=org.director.user, **{**NEW, "code": f"rule-{n}"})
    client.force_login(org.hr.user)
    # session, user, the principal; the page's count, its rows (joined: who changed each and their employee)
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert response.json()["count"] == rules
