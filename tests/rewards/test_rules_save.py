"""The director's reward rules: every bad input refused on its field with nothing written, thresholds in the
metric's unit, older versions refused, and the pages (the form shows a refusal; HR reads, a manager is refused)."""

import pytest
from django.urls import reverse

from rewards.models import Rule
from rewards.services.rules import DEFAULT_RULES, default_rules_ensure, rule_save
from teams.errors import DomainError

GOOD = {"code": "m120", "name": "月度达成 120%", "metric": "attainment", "comparison": "gte", "threshold": "120",
        "period": "month", "scope": "rep", "kind": "reward", "method": "notice",
        "text_template": "{name} {period} 达成 {value}"}


@pytest.mark.parametrize(("change", "field", "says"), [
    ({"metric": "happiness"}, "metric", "no metric"),
    ({"threshold": "1.2"}, "threshold", "percent"),            # a ratio where a percent is meant
    ({"threshold": "5000"}, "threshold", "percent"),
    ({"threshold": ""}, "threshold", "threshold"),
    ({"threshold": "abc"}, "threshold", "number"),
    ({"comparison": "top", "threshold": "0"}, "threshold", "places"),
    ({"comparison": "top", "threshold": "1.5"}, "threshold", "places"),
    ({"metric": "accounts_opened", "threshold": "2.5"}, "threshold", "count"),
    ({"metric": "total_deposits", "threshold": "-1"}, "threshold", "yuan"),
    ({"comparison": "bottom", "metric": "", "threshold": "3", "kind": "penalty"}, "threshold", "elimination"),
    ({"comparison": "bottom", "metric": "", "threshold": None}, "kind", "penalty"),
    ({"comparison": "bottom", "metric": "attainment", "threshold": None, "kind": "penalty"}, "metric", "no metric"),
    ({"comparison": "referral", "metric": "", "threshold": "3", "scope": "team"}, "scope", "reps"),
    ({"method": "cash"}, "amount", "yuan"),
    ({"method": "cash", "amount": -5}, "amount", "yuan"),
    ({"method": "cash", "amount": 10**9}, "amount", "at most"),
    ({"amount": 500}, "amount", "Only a cash rule"),
    ({"method": "position"}, "method", "promotion or demotion case"),
    ({"period": "phase", "metric": "performance_growth_rate", "threshold": "10"}, "metric", "phase"),
    ({"period": "none"}, "period", "month or a phase"),
    ({"text_template": "{name} {bonus}"}, "text_template", "{name}"),
    ({"text_template": "  "}, "text_template", "reason"),
    ({"code": "has space"}, "code", "letters"),
    ({"name": ""}, "name", "name"),
])
def test_a_bad_rule_is_refused_on_its_field_and_nothing_is_written(org, unchanged, change, field, says):
    with unchanged(), pytest.raises(DomainError) as refused:
        rule_save(by=org.director.user, **{**GOOD, **change})
    assert refused.value.field == field and says in refused.value.message


def test_a_rule_keeps_its_threshold_in_the_metrics_unit(org):
    rule = rule_save(by=org.director.user, **GOOD)
    assert (str(rule.threshold), rule.version, rule.changed_by) == ("120", 1, org.director.user)
    cash = rule_save(by=org.director.user, **{**GOOD, "code": "top", "comparison": "top", "threshold": 3,
                                              "method": "cash", "amount": 2000})
    assert (cash.threshold, cash.amount) == (3, 2000)


@pytest.mark.parametrize("who", ["general_manager", "hr", "manager_a", "rep_a"])
def test_only_the_director_edits_rules(org, unchanged, who):
    with unchanged(), pytest.raises(DomainError, match="director"):
        rule_save(by=getattr(org, who).user, **GOOD)


def test_an_older_version_is_refused_with_who_changed_it(org, unchanged):
    rule = rule_save(by=org.director.user, **GOOD)
    rule_save(by=org.director.user, rule_id=rule.pk, version=1, threshold="150")
    with unchanged(), pytest.raises(DomainError) as refused:
        rule_save(by=org.director.user, rule_id=rule.pk, version=1, threshold="110")
    assert refused.value.field == "version" and org.director.name in refused.value.message
    assert Rule.objects.get(pk=rule.pk).threshold == 150


def test_the_code_is_unique(org, unchanged):
    rule_save(by=org.director.user, **GOOD)
    with unchanged(), pytest.raises(DomainError) as refused:
        rule_save(by=org.director.user, **GOOD)
    assert refused.value.field == "code"


def test_the_default_rules_are_added_once(org):
    assert default_rules_ensure(by=org.director.user) == len(DEFAULT_RULES)
    assert default_rules_ensure(by=org.director.user) == 0


def test_the_form_shows_a_wrong_unit_on_the_threshold_and_saves_nothing(client, org):
    client.force_login(org.director.user)
    response = client.post(reverse("rewards:rule_new"), {**GOOD, "threshold": "1.2", "active": "on"})
    assert response.status_code == 200 and not Rule.objects.exists()
    assert "1.2" in response.context["form"].errors["threshold"][0]


def test_the_director_edits_a_rule_on_its_page(client, org):
    rule = rule_save(by=org.director.user, **GOOD)
    client.force_login(org.director.user)
    response = client.post(reverse("rewards:rule", args=[rule.pk]), {
        **GOOD, "threshold": "130", "version": rule.version, "active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.threshold, rule.version, rule.code) == (130, 2, "m120")


def test_hr_reads_the_rules_but_cannot_save_one(client, org, unchanged):
    rule = rule_save(by=org.director.user, **GOOD)
    client.force_login(org.hr.user)
    page = client.get(reverse("rewards:rules"))
    assert page.status_code == 200 and rule.name in page.content.decode()
    assert reverse("rewards:rule_new") not in page.content.decode()
    with unchanged():
        assert client.post(reverse("rewards:rule", args=[rule.pk]), {**GOOD, "version": 1}).status_code == 403


def test_the_empty_rules_page_offers_the_defaults(client, org):
    client.force_login(org.director.user)
    page = client.get(reverse("rewards:rules")).content.decode()
    assert 'id="no-rules"' in page and 'id="rules-defaults"' in page
    client.post(reverse("rewards:rules_defaults"))
    page = client.get(reverse("rewards:rules")).content.decode()
    assert 'id="rules-defaults"' not in page and DEFAULT_RULES[0]["name"] in page
