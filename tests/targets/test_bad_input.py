"""Issue 11 for plans and targets: a plan starting 9999-05, a blank proposal, a ramp of "150", targets written in 万,
ids past the integer columns: each a message or a 4xx, never a 500 or a silent "saved"; nothing is written."""

import html
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from targets import demo, services
from targets.models import PlanYear, RepWeight, TargetProposal
from tests.targets.test_pages import plan_post


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("first", ["9999-05", "0001-01", "2100-05"])
def test_a_plan_starting_outside_the_served_years_is_refused_with_the_range(client, org, calendar, unchanged, first):
    client.force_login(org.director.user)
    with unchanged():
        response = client.post(reverse("targets:plan_new"),
                               plan_post("远期计划", first, [("全年", 12)], demo.TARGETS_2017))
    assert response.status_code == 200 and "Dates run from 2000 to 2100" in text(response)


def test_the_api_refuses_a_plan_starting_in_9999(client, org, calendar, unchanged):
    client.force_login(org.director.user)
    body = {"name": "远期计划", "first_month": "9999-05-01", "phases": [{"name": "全年", "month_count": 12}],
            "month_targets": [str(t) for t in demo.TARGETS_2017]}
    with unchanged():
        response = client.post("/api/v1/plans/", body, content_type="application/json")
    assert response.status_code == 400 and "Dates run from 2000 to 2100" in str(response.json())


def test_month_targets_in_wan_are_understood(org, calendar):
    plan = services.plan_create(name="万元计划", first_month=date(2019, 2, 1), phases=demo.PHASES_2017,
                                month_targets=["120万", "１，０００，０００", "¥1,200,000", *demo.TARGETS_2017[3:]],
                                by=org.director.user)
    assert [m.deposit_target for m in plan.months.order_by("month")][:3] == [1_200_000, 1_000_000, 1_200_000]


def test_a_blank_proposal_says_nothing_was_saved(client, org, plan, unchanged):
    august = plan.months.get(month=date(2017, 8, 1))
    client.force_login(org.manager_a.user)
    with unchanged():
        response = client.post(reverse("targets:team", args=[org.team_a.pk]),
                               {"plan": plan.pk, "month": august.pk, "propose": "1", "proposed_target": ""},
                               follow=True)
    page = text(response)
    assert "Nothing was saved: This field is required." in page and "Saved." not in page
    assert not TargetProposal.objects.exists()


def test_a_ramp_of_150_is_refused_saying_how_to_write_150_percent(client, org, plan, unchanged):
    march = plan.months.get(month=date(2017, 3, 1))
    client.force_login(org.manager_a.user)
    with unchanged():
        response = client.post(reverse("targets:team", args=[org.team_a.pk]),
                               {"plan": plan.pk, "month": march.pk, "weights": "1", f"weight_{org.rep_a.pk}": "150"},
                               follow=True)
    assert ("A ramp of 150 would give 150 times a full share. For a percentage write 150% (or 1.5)."
            in text(response))


@pytest.mark.parametrize(("typed", "weight"), [("150%", Decimal("1.5")), ("50%", Decimal("0.5")),
                                                ("０.５", Decimal("0.5")), ("1.5", Decimal("1.5"))])
def test_a_ramp_written_as_a_percentage_or_a_share_is_understood(client, org, plan, typed, weight):
    march = plan.months.get(month=date(2017, 3, 1))
    client.force_login(org.manager_a.user)
    client.post(reverse("targets:team", args=[org.team_a.pk]),
                {"plan": plan.pk, "month": march.pk, "weights": "1", f"weight_{org.rep_a.pk}": typed})
    assert RepWeight.objects.get(plan_month=march, employee=org.rep_a).weight == weight


def test_a_stale_save_of_an_unchanged_plan_still_says_who_changed_it(client, org, draft_plan, unchanged):
    overview = [(p.name, p.months.count()) for p in draft_plan.phases.order_by("number")]
    targets = [m.deposit_target for m in draft_plan.months.order_by("month")]
    opened = draft_plan.version
    services.plan_update(plan=draft_plan, version=opened, phases=[services.PhaseSpec(n, c) for n, c in overview],
                         month_targets=[targets[0] + 1, *targets[1:]], by=org.director.user)
    client.force_login(org.director.user)
    with unchanged():
        stale = client.post(reverse("targets:plan_edit", args=[draft_plan.pk]),
                            plan_post(draft_plan.name, "2017-02", overview, targets, version=opened))
    [message] = stale.context["form"].non_field_errors()
    assert message.startswith(f"{org.director.name} changed this plan at ")
    assert f"2017-02: saved {targets[0] + 1:,}, yours {targets[0]:,}." in message
    assert html.escape(message, quote=False) in stale.content.decode()  # shown on the page, not on the hidden field


def test_a_plan_save_that_changes_nothing_says_so(client, org, draft_plan, unchanged):
    overview = [(p.name, p.months.count()) for p in draft_plan.phases.order_by("number")]
    targets = [m.deposit_target for m in draft_plan.months.order_by("month")]
    client.force_login(org.director.user)
    with unchanged():
        response = client.post(reverse("targets:plan_edit", args=[draft_plan.pk]),
                               plan_post(draft_plan.name, "2017-02", overview, targets, version=draft_plan.version),
                               follow=True)
    assert "You changed nothing, so nothing was saved." in text(response)
    assert PlanYear.objects.get().version == draft_plan.version


@pytest.mark.parametrize("url", ["/api/v1/team-targets/?plan=3000000000",
                                 "/api/v1/rep-targets/?plan=1&team=99999999999"])
def test_ids_past_the_integer_columns_are_a_400_not_a_database_error(client, org, url):
    client.force_login(org.director.user)
    assert client.get(url).status_code == 400
