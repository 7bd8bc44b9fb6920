"""Plan and target pages for every role, and what a user does on them."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from targets import demo, services
from targets.models import PlanMonth, PlanYear, RepMonthTarget, RepWeight, TargetProposal, TargetRevision

ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]
MATRIX = {
    "plans": [200, 200, 200, 200, 200, 403],
    "plan": [200, 200, 200, 200, 200, 403],
    "plan_new": [200, 403, 403, 403, 403, 403],
    "plan_edit": [200, 403, 403, 403, 403, 403],
    "allocation": [200, 403, 403, 403, 403, 403],
    "reconcile": [200, 200, 200, 200, 200, 403],
    "team_a": [200, 200, 200, 200, 404, 403],
}


def url_of(name: str, plan: PlanYear, org) -> str:
    return {
        "plans": reverse("targets:plans"), "plan": reverse("targets:plan", args=[plan.pk]),
        "plan_new": reverse("targets:plan_new"), "plan_edit": reverse("targets:plan_edit", args=[plan.pk]),
        "allocation": reverse("targets:allocation", args=[plan.pk]),
        "reconcile": reverse("targets:reconcile", args=[plan.pk]),
        "team_a": reverse("targets:team", args=[org.team_a.pk]),
    }[name]


@pytest.mark.parametrize(("page", "role", "status"),
                         [(p, r, s) for p, row in MATRIX.items() for r, s in zip(ROLES, row, strict=True)])
def test_permission_matrix(client, org, plan, page, role, status):
    client.force_login(org.by_role(role).user)
    assert client.get(url_of(page, plan, org)).status_code == status


@pytest.mark.parametrize("page", list(MATRIX))
def test_anonymous_goes_to_log_in(client, org, plan, page):
    assert client.get(url_of(page, plan, org)).url.startswith(reverse("login"))


def plan_post(name: str, first: str, phases: list[tuple[str, int]], targets: list, **extra) -> dict:
    data = {"name": name, "first_month": first, "phase_name": [p for p, _ in phases],
            "phase_months": [n for _, n in phases], **extra}
    data.update({f"target_{i}": t for i, t in enumerate(targets)})
    return data


def post_of(name: str, plan: PlanYear, org) -> tuple[str, dict]:
    """Return the URL and data of a valid post of the page (a draft to approve, a proposal to decide made first)."""
    august = plan.months.get(month=date(2017, 8, 1))
    if name == "plan_approve":
        draft = services.plan_create(name="2019年度计划", first_month=date(2019, 2, 1), phases=demo.PHASES_2017,
                                     month_targets=demo.TARGETS_2017, by=org.director.user)
        return reverse("targets:plan_approve", args=[draft.pk]), {"version": draft.version}
    if name == "reconcile":
        services.proposal_submit(plan_month=august, team=org.team_a, proposed_target=1_000_000,
                                 by=org.manager_a.user)
        return reverse("targets:reconcile", args=[plan.pk]), {"month": august.pk, "accept": "0"}
    overview = [(p.name, p.months.count()) for p in plan.phases.order_by("number")]
    targets = [900_000, *(m.deposit_target for m in plan.months.order_by("month")[1:])]
    team_a = reverse("targets:team", args=[org.team_a.pk])
    return {
        "plan_new": (reverse("targets:plan_new"), plan_post("2019年度计划", "2019-02", overview, demo.TARGETS_2017)),
        "plan_edit": (reverse("targets:plan_edit", args=[plan.pk]),
                      plan_post(plan.name, "2017-02", overview, targets, version=plan.version, reason="开门红")),
        "allocation": (reverse("targets:allocation", args=[plan.pk]),
                       {"month": august.pk, f"weight_{org.team_a.pk}": "3", f"weight_{org.team_b.pk}": "1"}),
        "team_a_weights": (team_a, {"plan": plan.pk, "month": august.pk, "weights": "1",
                                    f"weight_{org.rep_a.pk}": "0.5"}),
        "team_a_proposal": (team_a, {"plan": plan.pk, "month": august.pk, "propose": "1", "proposed_target": "1"}),
    }[name]


def written(name: str, org) -> object:
    """Return what the valid post of `post_of` leaves in the database, read back."""
    august = PlanMonth.objects.get(plan__name=demo.PLAN_2017, month=date(2017, 8, 1))
    return {
        "plan_new": lambda: PlanYear.objects.get(name="2019年度计划").status,
        "plan_edit": lambda: PlanMonth.objects.get(plan__name=demo.PLAN_2017, month=date(2017, 2, 1)).deposit_target,
        "plan_approve": lambda: PlanYear.objects.get(name="2019年度计划").status,
        "allocation": lambda: august.team_weights.get(team=org.team_a).weight,
        "reconcile": lambda: august.proposals.get(team=org.team_a).decision,
        "team_a_weights": lambda: august.rep_weights.get(employee=org.rep_a).weight,
        "team_a_proposal": lambda: august.proposals.get(team=org.team_a).proposed_target,
    }[name]()


WRITTEN = {"plan_new": "draft", "plan_edit": 900_000, "plan_approve": "approved", "allocation": Decimal("3"),
           "reconcile": "kept_top_down", "team_a_weights": Decimal("0.5"), "team_a_proposal": 1}
# post -> (status, whether it writes) for each role, in the order of ROLES; a page that takes the post but whose
# service refuses it (a manager deciding proposals) redirects with a message and writes nothing.
POSTS = {
    "plan_new": [(302, True), (403, False), (403, False), (403, False), (403, False), (403, False)],
    "plan_edit": [(302, True), (403, False), (403, False), (403, False), (403, False), (403, False)],
    "plan_approve": [(302, True), (302, True), (403, False), (403, False), (403, False), (403, False)],
    "allocation": [(302, True), (403, False), (403, False), (403, False), (403, False), (403, False)],
    "reconcile": [(302, True), (302, False), (302, False), (302, False), (302, False), (403, False)],
    "team_a_weights": [(302, True), (403, False), (403, False), (302, True), (404, False), (403, False)],
    "team_a_proposal": [(302, True), (403, False), (403, False), (302, True), (404, False), (403, False)],
}


@pytest.mark.parametrize(("page", "role", "expected"),
                         [(p, r, e) for p, row in POSTS.items() for r, e in zip(ROLES, row, strict=True)])
def test_post_permission_matrix(client, org, plan, unchanged, page, role, expected):
    status, writes = expected
    url, data = post_of(page, plan, org)
    client.force_login(org.by_role(role).user)
    with unchanged.unless(writes):
        assert client.post(url, data).status_code == status
    if writes:
        assert written(page, org) == WRITTEN[page]


@pytest.mark.parametrize("page", list(POSTS))
def test_anonymous_post_goes_to_log_in_and_writes_nothing(client, org, plan, unchanged, page):
    url, data = post_of(page, plan, org)
    with unchanged():
        assert client.post(url, data).url.startswith(reverse("login"))


def test_director_creates_and_gm_approves_a_2025_plan_from_the_pages(client, org, calendar):
    client.force_login(org.director.user)
    response = client.post(reverse("targets:plan_new"), plan_post(
        "2025年度计划", "2025-01", [("上半年", 6), ("下半年", 6)], [500_000] * 6 + [700_000] * 6))
    plan = PlanYear.objects.get(name="2025年度计划")
    assert response.url == reverse("targets:plan", args=[plan.pk])
    assert [p.name for p in plan.phases.all()] == ["上半年", "下半年"]
    assert plan.first_month == date(2025, 1, 1) and plan.status == PlanYear.Status.DRAFT
    client.force_login(org.general_manager.user)
    client.post(reverse("targets:plan_approve", args=[plan.pk]), {"version": plan.version})
    plan.refresh_from_db()
    assert plan.status == PlanYear.Status.APPROVED
    assert RepMonthTarget.objects.filter(plan_month__plan=plan).aggregate(s=Sum("deposit_target"))["s"] == 7_200_000


@pytest.mark.parametrize(("targets", "phases", "message"), [
    ([-1] + [100] * 11, [("全年", 12)], "whole, non-negative"),
    (["abc"] + [100] * 11, [("全年", 12)], "is not a number"),
    ([100] * 12, [("上半年", 6), ("下半年", 5)], "cover exactly 12"),
])
def test_bad_plan_input_is_refused_with_the_reason_and_nothing_saved(client, org, unchanged, targets, phases,
                                                                     message):
    client.force_login(org.director.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages checked below are the English ones
    with unchanged():
        response = client.post(reverse("targets:plan_new"), plan_post("坏计划", "2030-01", phases, targets))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlanYear.objects.filter(name="坏计划").exists()


def test_the_plan_page_shows_who_approved_it_from_the_approval_history(client, org, draft_plan, plan):
    client.force_login(org.hr.user)
    html = client.get(reverse("targets:plan", args=[plan.pk]), headers={"Accept-Language": "en"}).content.decode()
    history = html[html.index('id="approval-history"'):html.index("</section>", html.index('id="approval-history"'))]
    name = org.general_manager.name
    assert f"<td>{name}</td><td>Approve</td><td>Draft</td><td>Approved</td>" in history
    assert f"Approved by {name} on" in html


def test_a_draft_plan_page_says_it_is_not_approved_yet(client, org, draft_plan):
    client.force_login(org.director.user)
    html = client.get(reverse("targets:plan", args=[draft_plan.pk]),
                      headers={"Accept-Language": "en"}).content.decode()
    assert "Not approved yet." in html and "Approved by" not in html


def test_editing_an_approved_plan_needs_a_reason_and_records_a_revision(client, org, plan, unchanged):
    client.force_login(org.director.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages checked below are the English ones
    overview = [(p.name, p.months.count()) for p in plan.phases.order_by("number")]
    targets = [m.deposit_target for m in plan.months.order_by("month")]
    targets[0] = 900_000
    data = plan_post(plan.name, "2017-02", overview, targets, version=plan.version)
    with unchanged():
        refused = client.post(reverse("targets:plan_edit", args=[plan.pk]), data)
    assert "Say why" in refused.content.decode() and not TargetRevision.objects.exists()
    client.post(reverse("targets:plan_edit", args=[plan.pk]), {**data, "reason": "春节后开门红"})
    revision = TargetRevision.objects.get()
    assert (revision.old_target, revision.new_target, revision.reason) == (800_000, 900_000, "春节后开门红")
    targets[1] = 850_000
    with unchanged():
        stale = client.post(reverse("targets:plan_edit", args=[plan.pk]),
                            {**plan_post(plan.name, "2017-02", overview, targets, version=plan.version),
                             "reason": "again"})
    # A stale save says so at the top of the form (not on the hidden version field): who changed it, and what.
    saved = PlanYear.objects.get(pk=plan.pk)
    assert stale.context["form"].non_field_errors() == [
        f"{org.director.name} changed this plan at {timezone.localtime(saved.changed_at):%Y-%m-%d %H:%M}, after you "
        f"opened it; nothing was saved. 2017-03: saved {saved.months.order_by('month')[1].deposit_target:,}, "
        "yours 850,000. Reload to see their change."]


def test_manager_ramps_a_rep_and_the_month_is_split_again(client, org, plan):
    client.force_login(org.manager_a.user)
    march = plan.months.get(month=date(2017, 3, 1))
    before = RepMonthTarget.objects.get(plan_month=march, employee=org.rep_a).deposit_target
    client.post(reverse("targets:team", args=[org.team_a.pk]),
                {"plan": plan.pk, "month": march.pk, "weights": "1", f"weight_{org.rep_a.pk}": "0.5"})
    assert RepWeight.objects.get(plan_month=march, employee=org.rep_a).weight == 0.5
    assert RepMonthTarget.objects.get(plan_month=march, employee=org.rep_a).deposit_target < before
    team_total = RepMonthTarget.objects.filter(plan_month=march, team=org.team_a).aggregate(s=Sum("deposit_target"))
    assert team_total["s"] == march.team_targets.get(team=org.team_a).deposit_target


def test_manager_proposes_for_own_team_but_cannot_reach_another(client, org, plan, unchanged):
    march = plan.months.get(month=date(2017, 3, 1))
    client.force_login(org.manager_a.user)
    client.post(reverse("targets:team", args=[org.team_a.pk]),
                {"plan": plan.pk, "month": march.pk, "propose": "1", "proposed_target": "600000", "note": "有把握"})
    assert TargetProposal.objects.get().proposed_target == 600_000
    client.force_login(org.manager_b.user)
    with unchanged():
        response = client.post(reverse("targets:team", args=[org.team_a.pk]),
                               {"plan": plan.pk, "month": march.pk, "propose": "1", "proposed_target": "1"})
    assert response.status_code == 404 and TargetProposal.objects.count() == 1


def test_director_accepts_proposals_from_the_reconciliation_page(client, org, plan):
    march = plan.months.get(month=date(2017, 3, 1))
    for manager, team, amount in [(org.manager_a, org.team_a, 600_000), (org.manager_b, org.team_b, 400_000)]:
        client.force_login(manager.user)
        client.post(reverse("targets:team", args=[team.pk]),
                    {"plan": plan.pk, "month": march.pk, "propose": "1", "proposed_target": amount})
    client.force_login(org.director.user)
    page = client.get(reverse("targets:reconcile", args=[plan.pk]))
    row = next(r for r in page.context["months"] if r.plan_month == march)
    assert (row.proposed_total, row.difference) == (1_000_000, 0)
    client.post(reverse("targets:reconcile", args=[plan.pk]), {"month": march.pk, "accept": "1"})
    assert {t.team_id: t.deposit_target for t in march.team_targets.all()} == {org.team_a.pk: 600_000,
                                                                            org.team_b.pk: 400_000}


def test_a_manager_sees_only_their_own_teams_proposals_on_the_reconciliation_page(client, org, plan):
    march = plan.months.get(month=date(2017, 3, 1))
    for manager, team, note in [(org.manager_a, org.team_a, "甲队有把握"), (org.manager_b, org.team_b, "乙队缺人")]:
        client.force_login(manager.user)
        client.post(reverse("targets:team", args=[team.pk]),
                    {"plan": plan.pk, "month": march.pk, "propose": "1", "proposed_target": "500000", "note": note})
    client.force_login(org.manager_a.user)
    page = client.get(reverse("targets:reconcile", args=[plan.pk]))
    row = next(r for r in page.context["months"] if r.plan_month == march)
    assert [p.team for p in row.proposals] == [org.team_a]
    assert "甲队有把握" in page.content.decode() and "乙队缺人" not in page.content.decode()
    for role in ["director", "general_manager", "hr"]:
        client.force_login(org.by_role(role).user)
        page = client.get(reverse("targets:reconcile", args=[plan.pk]))
        row = next(r for r in page.context["months"] if r.plan_month == march)
        assert {p.team for p in row.proposals} == {org.team_a, org.team_b}, role
