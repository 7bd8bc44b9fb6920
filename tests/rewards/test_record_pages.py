"""The register's pages by role: the list (scope, filters, what waits first, totals, the empty state, a fixed
number of queries), the proposal form, one record with the acts open to the viewer, the act and its stale-version
message, and where the register shows elsewhere (the rep's page, the director's and HR's start pages)."""

from datetime import date

import pytest
from django.urls import reverse

from rewards.models import Record
from tests.rewards.conftest import SEPTEMBER, act, propose, reach


def _page(client, who, name="rewards:records", args=(), **query):
    client.force_login(who.user)
    return client.get(reverse(name, args=args), query, HTTP_ACCEPT_LANGUAGE="en")


def _ids(response) -> list[int]:
    return [r.pk for r in response.context["page"].object_list]


def test_a_rep_sees_only_their_own_final_records(client, org):
    proposed, approved = propose(org), reach(org, "approved")
    others = reach(org, "approved")
    Record.objects.filter(pk=others.pk).update(employee=org.rep_b)  # rep B's, as if proposed so
    assert _ids(_page(client, org.rep_a)) == [approved.pk]
    assert proposed.pk not in _ids(_page(client, org.rep_a))


def test_a_manager_sees_their_teams_records_but_not_another_teams(client, org):
    mine = propose(org)
    theirs = propose(org, org.director, employee=org.rep_b)
    assert _ids(_page(client, org.manager_a)) == [mine.pk]
    assert _ids(_page(client, org.manager_b)) == [theirs.pk]
    assert _page(client, org.manager_b, "rewards:record", [mine.pk]).status_code == 404
    assert _page(client, org.rep_b, "rewards:record", [mine.pk]).status_code == 404  # a guessed id: 404


def test_a_manager_sees_a_former_members_records_only_for_the_dates_of_membership(client, org, draft_plan):
    march = propose(org, org.director, employee=org.mover, period="month", first_month=date(2017, 3, 1))
    propose(org, org.director, employee=org.mover, period="month", first_month=SEPTEMBER)  # in team B by then
    assert _ids(_page(client, org.manager_a)) == [march.pk]


def test_what_waits_for_the_director_comes_first_and_the_filter_keeps_only_it(client, org):
    approved = reach(org, "approved")
    waiting = propose(org)
    own = propose(org, org.director, employee=org.rep_b)  # their own proposal never waits for them
    response = _page(client, org.director)
    assert _ids(response)[0] == waiting.pk
    assert set(_ids(response)) == {waiting.pk, approved.pk, own.pk}
    assert _ids(_page(client, org.director, waiting="on")) == [waiting.pk]


def test_the_filters_narrow_the_list(client, org, draft_plan):
    september = propose(org, period="month", first_month=SEPTEMBER)
    notice = propose(org, method="notice", amount=None, kind="penalty", reason="迟到")
    team = propose(org, org.director, team=org.team_b, method="notice", amount=None)
    assert _ids(_page(client, org.hr, kind="penalty")) == [notice.pk]
    assert _ids(_page(client, org.hr, method="cash")) == [september.pk]
    assert _ids(_page(client, org.hr, month="2017-09-01")) == [september.pk]
    assert _ids(_page(client, org.hr, team=org.team_b.pk)) == [team.pk]
    assert set(_ids(_page(client, org.hr, team=org.team_a.pk))) == {september.pk, notice.pk}
    assert _ids(_page(client, org.hr, employee=org.rep_a.pk, sort="oldest")) == [september.pk, notice.pk]
    assert _ids(_page(client, org.hr, state="approved")) == []


def test_an_empty_register_says_so(client, org):
    assert 'id="no-records"' in _page(client, org.rep_a).content.decode()


def test_totals_count_only_final_records_per_subject_period_and_kind_as_chosen(client, org, draft_plan):
    for amount in (1000, 2000):
        act("approve", propose(org, amount=amount, period="month", first_month=SEPTEMBER), org.director)
    published = reach(org, "published", amount=500)
    act("revoke", reach(org, "approved", amount=9), org.hr, reason="错误")
    act("reject", propose(org, amount=7), org.director, reason="不合适")
    propose(org, amount=3)
    act("approve", propose(org, kind="penalty", method="notice", amount=None, reason="迟到"), org.director)
    def lines(**query):
        totals = _page(client, org.hr, **query).context["totals"]
        assert totals.by_kind == {"reward": (3, 3500), "penalty": (1, 0)}
        return {(t.subject, t.first_month, t.kind): (t.records, t.cash) for t in totals.lines}

    by_person = {(org.rep_a.name, None, "reward"): (3, 3500), (org.rep_a.name, None, "penalty"): (1, 0)}
    assert lines() == lines(totals="subject") == lines(totals="nonsense") == by_person  # per person by default
    assert lines(totals="subject_period") == {
        (org.rep_a.name, SEPTEMBER, "reward"): (2, 3000), (org.rep_a.name, None, "reward"): (1, 500),
        (org.rep_a.name, None, "penalty"): (1, 0)}
    assert lines(totals="period") == {("", SEPTEMBER, "reward"): (2, 3000), ("", None, "reward"): (1, 500),
                                      ("", None, "penalty"): (1, 0)}
    assert published.state == "published"


@pytest.mark.parametrize("records", [3, 30])
def test_the_register_takes_the_same_queries_however_many_records(client, org, records, django_assert_num_queries):
    for n in range(records):
        propose(org, amount=100 + n)
    client.force_login(org.director.user)
    # session, user, principal; the filters' plan months (the teams' and employees' choices are rendered lazily:
    # teams, employees); the page's count, its rows (joined: employee, team, rule, proposer, approvers); totals;
    # the header's unread notices
    with django_assert_num_queries(10):
        response = client.get(reverse("rewards:records"))
    assert len(response.context["page"].object_list) == records


def test_a_managers_proposal_form_offers_their_teams_current_members_only(client, org):
    response = _page(client, org.manager_a, "rewards:record_new")
    choices = {e.pk for e in response.context["form"].fields["employee"].queryset}
    assert choices == {org.rep_a.pk}
    assert {t.pk for t in response.context["form"].fields["team"].queryset} == {org.team_a.pk}


def test_proposing_on_the_page_and_a_refusal_on_its_field(client, org, unchanged):
    client.force_login(org.manager_a.user)
    url = reverse("rewards:record_new")
    body = {"employee": org.rep_a.pk, "kind": "reward", "method": "cash", "amount": "", "reason": "月度冠军",
            "period": "none"}
    with unchanged():
        refused = client.post(url, body, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    assert "amount of cash" in str(refused.context["form"].errors["amount"])
    done = client.post(url, {**body, "amount": "1500"})
    record = Record.objects.get()
    assert done.url == reverse("rewards:record", args=[record.pk])
    assert (record.amount, record.proposed_by) == (1500, org.manager_a.user)


def test_the_record_page_says_who_proposed_and_approved_and_offers_the_viewers_acts(client, org):
    record = reach(org, "approved")
    page = _page(client, org.hr, "rewards:record", [record.pk]).content.decode()
    assert org.manager_a.name in page and org.director.name in page
    assert 'id="act-publish"' in page and 'id="act-revoke"' in page and 'id="act-approve"' not in page
    rep_page = _page(client, org.rep_a, "rewards:record", [record.pk]).content.decode()
    assert 'class="card act-form"' not in rep_page
    manager_page = _page(client, org.manager_a, "rewards:record", [record.pk]).content.decode()
    assert 'class="card act-form"' not in manager_page


def test_acting_on_the_page_moves_the_record(client, org):
    record = propose(org)
    client.force_login(org.director.user)
    response = client.post(reverse("rewards:record_act", args=[record.pk, "approve"]),
                           {"version": record.version, "reason": ""})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.state, record.approved_by) == ("approved", org.director.user)


def test_a_stale_version_names_who_acted_and_keeps_the_typed_reason(client, org, unchanged):
    record = propose(org)
    stale = record.version
    act("approve", record, org.director)
    client.force_login(org.hr.user)
    with unchanged():
        response = client.post(reverse("rewards:record_act", args=[record.pk, "revoke"]),
                               {"version": stale, "reason": "名单有误，请核实"}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert org.director.name in page and "after you opened it" in page
    assert "名单有误，请核实" in page
    record.refresh_from_db()
    assert f'name="version" value="{record.version}"' in page  # sent again, it goes through


def test_an_unknown_action_is_404(client, org):
    record = propose(org)
    client.force_login(org.director.user)
    assert client.post(reverse("rewards:record_act", args=[record.pk, "edit"]), {"version": 1}).status_code == 404


def test_the_rep_page_shows_their_final_records_newest_first(client, org, plan, settings):
    settings.AS_OF_DATE = date(2017, 10, 25)
    older = reach(org, "published")
    newer = reach(org, "approved", amount=2000)
    proposed = propose(org, amount=3000, reason="提议中")
    response = _page(client, org.rep_a, "dashboards:mine")
    assert [r.pk for r in response.context["my_records"]] == [newer.pk, older.pk]
    assert 'id="my-records"' in response.content.decode() and proposed.reason not in response.content.decode()


def test_the_director_and_hr_start_pages_count_what_waits_for_them(client, org, plan):
    propose(org)
    act("approve", propose(org, amount=9000), org.director)
    director = _page(client, org.director, "dashboards:director").content.decode()
    assert 'id="records-waiting"' in director and "1 record waits for your approval" in director
    assert reverse("rewards:records") + "?waiting=on" in director
    hr = _page(client, org.hr, "promotions:candidates").content.decode()
    assert 'id="records-waiting"' in hr and "1 record waits for your approval" in hr
    assert 'id="records-waiting"' not in _page(client, org.general_manager, "dashboards:director").content.decode()


def test_the_register_is_in_everyones_navigation(client, org):
    for who in (org.director, org.hr, org.manager_a, org.rep_a):
        assert reverse("rewards:records") in _page(client, who, "teams:me").content.decode()
