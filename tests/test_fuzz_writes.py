"""Anything thrown at every write endpoint answers 2xx, 3xx or 4xx, never a 500 (issue 11): arbitrary strings,
numbers and dates in every field of the grid, the figures API, the import, the month close and reopen, the
elimination rule, the plan editor and the team targets page. Bounded examples, so it runs in seconds."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpis import metrics

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# What a person (or an attacker) types: any text, numbers written any way, dates near and far, huge ones.
TYPED = st.one_of(
    st.text(max_size=50),
    st.integers(min_value=-10**40, max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(date.isoformat),
    st.sampled_from(["1e999999999", "9" * 5000, "12万", "１，２００", "¥1,200.00", "-0", "NaN", "", " ", "%",
                     "9999-12-27", "0001-01-01", "2017-03-06", "null", "长" * 1000]),
)
JSON_VALUE = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TYPED),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                        max_size=3), max_leaves=6)
CODES = [m.code for m in metrics.ENTERED]


def ok(response) -> None:
    assert response.status_code < 500, response.content[:500]


@pytest.fixture
def logged_in(client, org, plan):
    return client


@FUZZ
@given(values=st.fixed_dictionaries({code: TYPED for code in CODES}), version=TYPED, week=TYPED)
def test_the_grid_answers_anything_without_a_500(logged_in, org, values, version, week):
    logged_in.force_login(org.manager_a.user)
    data = {"rep": [str(org.rep_a.pk)], f"version-{org.rep_a.pk}": version,
            **{f"v-{org.rep_a.pk}-{code}": value for code, value in values.items()}}
    ok(logged_in.post(reverse("kpis:grid", args=[org.team_a.pk, "2017-03-06"]), data))
    ok(logged_in.get(f"/figures/teams/{org.team_a.pk}/weeks/{week.replace('/', '-')[:30]}/"))


@FUZZ
@given(values=st.dictionaries(st.sampled_from([*CODES, "x"]), JSON_VALUE, max_size=7), week=JSON_VALUE,
       employee=JSON_VALUE, version=JSON_VALUE)
def test_the_figures_api_answers_anything_with_json_and_no_500(logged_in, org, values, week, employee, version):
    logged_in.force_login(org.manager_a.user)
    for body in ({"team": org.team_a.pk, "week": week, "rows": [{"employee": org.rep_a.pk, "values": values}]},
                 {"team": org.team_a.pk, "week": "2017-03-06", "rows": [{"employee": employee, "version": version,
                                                                          "values": values}]}):
        response = logged_in.put("/api/v1/figures/", json.dumps(body), content_type="application/json")
        ok(response)
        assert response["Content-Type"] == "application/json"
    ok(logged_in.get("/api/v1/figures/", {"week": str(week)[:30], "team": str(employee)[:30]}))


@FUZZ
@given(cells=st.lists(TYPED, min_size=9, max_size=9), separator=st.sampled_from([",", ";", "\t"]))
def test_the_import_answers_any_file_content_without_a_500(logged_in, org, cells, separator):
    logged_in.force_login(org.manager_a.user)
    head = ["工号", "姓名", "周", *[m.label_zh for m in metrics.ENTERED]]
    body = "\n".join(separator.join(c.replace(separator, " ").replace("\n", " ") for c in row)
                     for row in (head, cells)).encode("utf-8")
    response = logged_in.post(reverse("kpis:import"), {"file": SimpleUploadedFile("f.csv", body)})
    ok(response)
    if response.context and response.context.get("token"):
        ok(logged_in.post(reverse("kpis:import_confirm"), {"token": response.context["token"],
                                                            "accept_warnings": "1"}))


@FUZZ
@given(month=TYPED, reason=TYPED, count=TYPED, percent=TYPED, warn=TYPED)
def test_the_directors_forms_answer_anything_without_a_500(logged_in, org, month, reason, count, percent, warn):
    logged_in.force_login(org.director.user)
    ok(logged_in.post(reverse("kpis:month_close"), {"month": month}))
    ok(logged_in.post(reverse("kpis:month_reopen"), {"month": month, "reason": reason}))
    ok(logged_in.post(reverse("dashboards:rankings"), {"bottom_count": count, "bottom_percent": percent,
                                                       "warn_after": warn}))
    ok(logged_in.get(reverse("dashboards:rankings"), {"first": month, "period": reason[:20]}))


@FUZZ
@given(first=TYPED, targets=st.lists(TYPED, min_size=12, max_size=12), months=TYPED)
def test_the_plan_editor_answers_anything_without_a_500(logged_in, org, first, targets, months):
    logged_in.force_login(org.director.user)
    data = {"name": "试算", "first_month": first, "phase_name": ["全年"], "phase_months": [months],
            **{f"target_{i}": t for i, t in enumerate(targets)}}
    ok(logged_in.post(reverse("targets:plan_new"), data))


@FUZZ
@given(target=TYPED, note=TYPED, weight=TYPED, month=TYPED)
def test_the_team_targets_page_answers_anything_without_a_500(logged_in, org, plan, target, note, weight, month):
    logged_in.force_login(org.manager_a.user)
    url = reverse("targets:team", args=[org.team_a.pk])
    march = plan.months.get(month=date(2017, 3, 1))
    ok(logged_in.post(url, {"plan": plan.pk, "month": march.pk, "propose": "1", "proposed_target": target,
                            "note": note}))
    ok(logged_in.post(url, {"plan": plan.pk, "month": march.pk, "weights": "1", f"weight_{org.rep_a.pk}": weight}))
    ok(logged_in.get(url, {"plan": plan.pk, "month": month[:30]}))
