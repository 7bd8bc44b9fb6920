"""Every URL name of the project, for every role: the status it answers, from a table written by hand (PX).

The walk goes through the URL resolver, so a new URL without a row here fails `test_every_url_has_a_row`. The
per-app matrices test more cases of their own pages; this one makes sure nothing is left out. Write endpoints
are called with the method they serve and a minimal body: what is tested is who gets through, not the write.
"""

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from appraisals.services.cycles import cycle_open
from kpis import services as figure_services
from promotions.models import CourseType
from promotions.services.cases import case_nominate
from promotions.services.paths import path_step_add
from promotions.services.training import session_add
from rewards.services.bulletins import bulletin_save
from rewards.services.notices import notice_publish
from rewards.services.records import record_propose
from rewards.services.rules import rule_save
from teams.tokens.services import token_create
from tests import factories
from tests.snapshots import replayed

ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a", "anonymous"]
MARCH_6 = date(2017, 3, 6)


@dataclass(frozen=True)
class Row:
    """How to call a URL name and what each role gets, in the order of ROLES."""

    statuses: tuple[int, ...]
    args: tuple[str, ...] = ()       # fixture keys filled in by `Place`
    method: str = "get"
    query: str = ""
    body: dict = field(default_factory=dict)


LOGIN = 302  # a page sends an anonymous visitor to log in
API_ANON = 401  # the API has no log-in page: 401, naming the Bearer scheme (a token, or the browser's session)
SALES = (200, 200, 200)  # director, general manager, HR
PAGE_SALES_ONLY = (*SALES, 403, 403, 403, LOGIN)
PAGE_PLAN = (*SALES, 200, 200, 403, LOGIN)          # everyone but reps
PAGE_TEAM_A = (*SALES, 200, 404, 403, LOGIN)        # a team page: the other manager gets 404, a rep 403
PAGE_REP_A = (*SALES, 200, 404, 200, LOGIN)         # rep A's own data: their manager and themself
PAGE_EVERYONE = (200, 200, 200, 200, 200, 200, LOGIN)
PAGE_DIRECTOR = (200, 403, 403, 403, 403, 403, LOGIN)
PAGE_HR = (403, 403, 200, 403, 403, 403, LOGIN)
API_EVERYONE = (200, 200, 200, 200, 200, 200, API_ANON)
API_PLAN = (*SALES, 200, 200, 403, API_ANON)
API_TEAM_A = (*SALES, 200, 404, 404, API_ANON)      # a team outside the scope is 404, whatever the role
API_REP_A = (*SALES, 200, 404, 200, API_ANON)

MATRIX: dict[str, Row] = {
    # the front door
    "home": Row((302,) * 7),
    "favicon": Row((301,) * 7),
    "login": Row((200,) * 7),
    "logout": Row((302,) * 7, method="post"),
    "set_language": Row((302,) * 7, method="post", body={"language": "en"}),
    # organisation
    "teams:organisation": Row(PAGE_PLAN),
    "teams:people": Row(PAGE_PLAN),
    "teams:team": Row(PAGE_TEAM_A, ("team_a",)),
    "teams:employee": Row(PAGE_REP_A, ("rep_a",)),
    "teams:me": Row(PAGE_EVERYONE),
    # each user's own API tokens: the list, and revoking one (HR's token: anyone else's is 404, even for an admin)
    "teams:tokens": Row(PAGE_EVERYONE),
    "teams:token_revoke": Row((404, 404, 302, 404, 404, 404, LOGIN), ("token",), method="post"),
    # plans and targets
    "targets:plans": Row(PAGE_PLAN),
    "targets:plan_new": Row(PAGE_DIRECTOR),
    "targets:plan": Row(PAGE_PLAN, ("plan",)),
    "targets:plan_edit": Row(PAGE_DIRECTOR, ("plan",)),
    "targets:plan_approve": Row((302, 302, 403, 403, 403, 403, LOGIN), ("plan",), method="post"),
    "targets:allocation": Row(PAGE_DIRECTOR, ("plan",)),
    "targets:reconcile": Row(PAGE_PLAN, ("plan",)),
    "targets:team": Row(PAGE_TEAM_A, ("team_a",)),
    "targets:calendar": Row(PAGE_PLAN),
    # weekly figures
    "kpis:weeks": Row(PAGE_TEAM_A, ("team_a",)),
    "kpis:grid": Row(PAGE_TEAM_A, ("team_a", "week")),
    "kpis:submit": Row((302, 403, 403, 302, 404, 403, LOGIN), ("team_a", "week"), method="post"),
    "kpis:history": Row(PAGE_REP_A, ("figures", "field")),
    "kpis:import": Row((200, 403, 403, 200, 200, 403, LOGIN)),
    "kpis:import_confirm": Row((302, 403, 403, 302, 302, 403, LOGIN), method="post"),
    "kpis:import_template": Row((200, 403, 403, 200, 404, 403, LOGIN), query="team=team_a"),
    "kpis:export": Row(PAGE_PLAN),
    "kpis:months": Row(PAGE_SALES_ONLY),
    "kpis:month_close": Row((302, 403, 403, 403, 403, 403, LOGIN), method="post"),
    "kpis:month_reopen": Row((302, 403, 403, 403, 403, 403, LOGIN), method="post"),
    "kpis:rollups": Row(PAGE_DIRECTOR),
    # dashboards
    "dashboards:director": Row(PAGE_SALES_ONLY),
    "dashboards:director_export": Row(PAGE_SALES_ONLY),
    "dashboards:team": Row(PAGE_TEAM_A, ("team_a",)),
    "dashboards:rep": Row(PAGE_REP_A, ("rep_a",)),
    "dashboards:mine": Row(PAGE_EVERYONE),
    "dashboards:rankings": Row(PAGE_SALES_ONLY),
    # appraisals (rep A's appraisal in an open cycle; HR runs the cycles)
    "appraisals:cycles": Row(PAGE_HR),
    "appraisals:cycle_new": Row(PAGE_HR),
    "appraisals:cycle": Row(PAGE_HR, ("cycle",)),
    "appraisals:cycle_add": Row((403, 403, 200, 403, 403, 403, LOGIN), ("cycle",), method="post"),
    # refused while appraisals are unfinished: back to the cycle with the message
    "appraisals:cycle_deadlines": Row((403, 403, 200, 403, 403, 403, LOGIN), ("cycle",), method="post"),
    "appraisals:cycle_close": Row((403, 403, 302, 403, 403, 403, LOGIN), ("cycle",), method="post"),
    "appraisals:cycle_export": Row(PAGE_HR, ("cycle",)),
    "appraisals:labels": Row(PAGE_HR),
    "appraisals:ratings": Row(PAGE_SALES_ONLY),
    # promotions (engine): HR's candidates page, seen by all who nominate or decide across sales
    "promotions:candidates": Row(PAGE_SALES_ONLY),
    # HR sets the reserve pool's rule; an empty form comes back on the page with its errors
    "promotions:pool_rule": Row((403, 403, 200, 403, 403, 403, LOGIN), method="post"),
    "appraisals:appraisal": Row(PAGE_REP_A, ("appraisal",)),
    # a post without a version: the page again with the form's error for everyone in scope
    "appraisals:act": Row((200, 200, 200, 200, 404, 200, LOGIN), ("appraisal", "act"), method="post"),
    "appraisals:feedback_ask": Row((403, 403, 200, 403, 403, 403, LOGIN), ("appraisal",), method="post"),
    "appraisals:feedback": Row(PAGE_EVERYONE),
    "appraisals:list": Row(PAGE_EVERYONE),
    # nobody of these roles was asked: a request that is not one's own is 404
    "appraisals:feedback_answer": Row((404, 404, 404, 404, 404, 404, LOGIN), ("feedback_request",), method="post"),
    # the API, under /api/v1/; the unversioned paths answer a 308 for everyone (the method is kept)
    "api-unversioned": Row((308,) * 7, ("unversioned",)),
    "api-unknown": Row((404,) * 7, ("unknown",)),
    "api-schema": Row(API_EVERYONE),
    "api-docs": Row(API_EVERYONE),
    "api-root": Row(API_EVERYONE),
    "team-list": Row(API_EVERYONE),
    "team-detail": Row(API_TEAM_A, ("team_a",)),
    "employee-list": Row(API_EVERYONE),
    "employee-detail": Row(API_REP_A, ("rep_a",)),
    "metric-list": Row(API_EVERYONE),
    "plan-list": Row(API_PLAN),
    "plan-detail": Row(API_PLAN, ("plan",)),
    "plan-approve": Row((400, 400, 403, 403, 403, 403, API_ANON), ("plan",), method="post"),
    "plan-next-draft": Row((200, 403, 403, 403, 403, 403, API_ANON), ("plan",)),
    "plan-month-team-weights": Row((400, 403, 403, 403, 403, 403, API_ANON), ("plan", "march"), method="put"),
    "plan-month-rep-weights": Row((200, 403, 403, 200, 404, 403, API_ANON), ("plan", "march"), method="put",
                                  body={"team": "team_a", "weights": {}}),
    "plan-month-proposals": Row((201, 403, 403, 201, 404, 403, API_ANON), ("plan", "march"), method="post",
                                body={"team": "team_a", "proposed_target": 500000, "note": ""}),
    "plan-month-proposals-decide": Row((400, 403, 403, 403, 403, 403, API_ANON), ("plan", "march"), method="post"),
    "team-target-list": Row(API_TEAM_A, query="plan=plan&team=team_a"),
    "rep-target-list": Row(API_TEAM_A, query="plan=plan&team=team_a"),
    "week-target-list": Row(API_TEAM_A, query="plan=plan&team=team_a"),
    "figures-list": Row(API_TEAM_A, query="team=team_a"),
    "figures-submit": Row((200, 403, 403, 200, 404, 404, API_ANON), method="post",
                          body={"team": "team_a", "week": MARCH_6.isoformat()}),
    # promotion cases (rep A's development case nominated by manager A; a rep has no case pages)
    "promotions:cases": Row((*SALES, 200, 200, 403, LOGIN)),
    "promotions:case_new": Row((200, 403, 200, 200, 200, 403, LOGIN)),
    "promotions:case": Row((*SALES, 200, 404, 403, LOGIN), ("case",)),
    # an empty form: the page again with the errors; outside the scope 404
    "promotions:case_act": Row((*SALES, 200, 404, 404, LOGIN), ("case", "case_action"), method="post"),
    "promotion-case-list": Row((*SALES, 200, 200, 403, API_ANON)),
    "promotion-case-detail": Row((*SALES, 200, 404, 404, API_ANON), ("case",)),
    "promotion-case-act": Row((400, 400, 400, 400, 404, 404, API_ANON), ("case",), method="post"),
    # promotion paths (HR edits, the director and the GM read them) and training (HR only); empty posts: HR gets
    # the page again with the errors, an import confirm without its preview goes back to the session
    "promotions:paths": Row(PAGE_SALES_ONLY),
    "promotions:path_step_add": Row((403, 403, 200, 403, 403, 403, LOGIN), method="post"),
    "promotions:requirement_add": Row((403, 403, 200, 403, 403, 403, LOGIN), ("step",), method="post"),
    "promotions:training": Row(PAGE_HR),
    "promotions:training_new": Row(PAGE_HR),
    "promotions:training_person": Row(PAGE_HR, query="employee=rep_a"),
    "promotions:training_session": Row(PAGE_HR, ("session",)),
    "promotions:attendance_add": Row((403, 403, 200, 403, 403, 403, LOGIN), ("session",), method="post"),
    "promotions:attendance_import": Row((403, 403, 200, 403, 403, 403, LOGIN), ("session",), method="post"),
    "promotions:attendance_import_confirm": Row((403, 403, 302, 403, 403, 403, LOGIN), ("session",), method="post"),
    "promotions:attendance_template": Row(PAGE_HR, ("session",)),
    # the register of rewards and penalties (rep A's cash reward proposed by manager A: a proposal stays internal,
    # so rep A gets 404 like manager B; an empty act form is the page again with the errors)
    "rewards:records": Row(PAGE_EVERYONE),
    "rewards:records_export": Row(PAGE_EVERYONE),
    "rewards:record_new": Row((200, 403, 200, 200, 200, 403, LOGIN)),
    "rewards:record": Row((*SALES, 200, 404, 404, LOGIN), ("record",)),
    "rewards:record_act": Row((*SALES, 200, 404, 404, LOGIN), ("record", "record_action"), method="post"),
    "rewards:payroll": Row((200, 403, 200, 403, 403, 403, LOGIN), query="month=2017-09"),
    # appraisals' API (rep A's appraisal in goals: the GM and the director never act on a rep's, manager B sees none)
    "appraisal-list": Row(API_EVERYONE),
    "appraisal-detail": Row(API_REP_A, ("appraisal",)),
    "appraisal-act": Row((403, 403, 400, 400, 404, 400, API_ANON), ("appraisal",), method="post"),
    # HR asks for feedback (an empty body: 400); a request not one's own is 404, whether it exists or not
    "appraisal-feedback-ask": Row((403, 403, 400, 403, 403, 403, API_ANON), ("appraisal",), method="post"),
    "feedback-request-list": Row(API_EVERYONE),
    "feedback-request-answer": Row((404,) * 6 + (API_ANON,), ("feedback_request",), method="post"),
    # HR runs the cycles, as on the pages; the body-less writes are refused for HR too (nothing to add, unfinished)
    "appraisal-cycle-list": Row((403, 403, 200, 403, 403, 403, API_ANON)),
    "appraisal-cycle-detail": Row((403, 403, 200, 403, 403, 403, API_ANON), ("cycle",)),
    "appraisal-cycle-person-add": Row((403, 403, 400, 403, 403, 403, API_ANON), ("cycle",), method="post"),
    "appraisal-cycle-deadlines": Row((403, 403, 400, 403, 403, 403, API_ANON), ("cycle",), method="put"),
    "appraisal-cycle-close": Row((403, 403, 400, 403, 403, 403, API_ANON), ("cycle",), method="post"),
    # the notice board (HR's announcement) and published rankings: everyone reads; the director and HR write
    # notices (an empty act goes back to the notice), the director publishes (an empty form goes back to the page)
    "rewards:board": Row(PAGE_EVERYONE),
    "rewards:notice": Row(PAGE_EVERYONE, ("notice",)),
    "rewards:notice_read_all": Row((302,) * 7, method="post"),
    "rewards:notice_new": Row((200, 403, 200, 403, 403, 403, LOGIN)),
    "rewards:notice_act": Row((302, 403, 302, 403, 403, 403, LOGIN), ("notice",), method="post"),
    "rewards:rankings": Row(PAGE_EVERYONE),
    "rewards:ranking": Row((404,) * 6 + (LOGIN,), ("ranking_period", "ranking_year", "ranking_month")),  # unpublished
    "rewards:ranking_publish": Row((302, 403, 403, 403, 403, 403, LOGIN), method="post"),
    "rewards:ranking_withdraw": Row((404, 403, 403, 403, 403, 403, LOGIN), ("ranking",), method="post"),
    # the rules that propose: the director edits and runs them; the general manager and HR read them
    "rewards:rules": Row((*SALES, 403, 403, 403, LOGIN)),
    "rewards:rule": Row((*SALES, 403, 403, 403, LOGIN), ("rule",)),
    "rewards:rule_new": Row(PAGE_DIRECTOR),
    "rewards:rules_defaults": Row((302, 403, 403, 403, 403, 403, LOGIN), method="post"),
    "rewards:rules_run": Row((302, 403, 403, 403, 403, 403, LOGIN), method="post", body={"month": "2017-03"}),
    # weekly bulletins (team A's of 6 March, by manager A): all of sales reads every team's week, its manager writes
    # and annotates it (manager B: 404), the director replies (an empty form: the page again with the error), a rep
    # writes only their own week's line
    "rewards:bulletins": Row((302, 302, 302, 403, 403, 403, LOGIN)),
    "rewards:bulletins_week": Row(PAGE_SALES_ONLY, ("week",)),
    "rewards:bulletin_edit": Row(PAGE_TEAM_A, ("team_a", "week")),
    "rewards:bulletin_reply": Row((200, 403, 403, 403, 403, 403, LOGIN), ("bulletin",), method="post"),
    "rewards:bulletin_annotate": Row((403, 403, 403, 200, 404, 403, LOGIN), ("bulletin",), method="post"),
    "rewards:rep_week_line": Row((403, 403, 403, 403, 403, 200, LOGIN), ("week",)),
    # the register's API (rep A's proposal by manager A: internal, so rep A gets 404 like manager B; an empty act is
    # a 400 for whoever may open the record)
    "reward-record-list": Row(API_EVERYONE),
    "reward-record-detail": Row((*SALES, 200, 404, 404, API_ANON), ("record",)),
    "reward-record-act": Row((400, 400, 400, 400, 404, 404, API_ANON), ("record",), method="post"),
    # month results (each row with its month's freshness): a rep reads their own, has no team rows; the company's
    # months are the cockpit's
    "rep-result-list": Row(API_EVERYONE),
    "team-result-list": Row((*SALES, 200, 200, 403, API_ANON)),
    "company-result-list": Row((*SALES, 403, 403, 403, API_ANON)),
    # the company ranking as the rankings page shows it (all of sales); everyone reads the published ones (none yet)
    "ranking": Row((*SALES, 403, 403, 403, API_ANON), query="plan=plan"),
    "published-ranking-list": Row(API_EVERYONE),
    "published-ranking-detail": Row((404,) * 6 + (API_ANON,), ("ranking_period", "ranking_year", "ranking_month")),
    # the notice board's API (HR's announcement): everyone reads and marks read; the director and HR act (an empty
    # act is a 400 for them)
    "notice-list": Row(API_EVERYONE),
    "notice-detail": Row(API_EVERYONE, ("notice",)),
    "notice-read": Row((200,) * 6 + (API_ANON,), ("notice",), method="post"),
    "notice-read-all": Row((200,) * 6 + (API_ANON,), method="post"),
    "notice-act": Row((400, 403, 400, 403, 403, 403, API_ANON), ("notice",), method="post"),
    # the bulletins' API (team A's of 6 March): as the pages, but a bulletin outside the scope is 404; empty posts
    # are a 400 for whoever may reply (the director) or annotate (its manager)
    "bulletin-week": Row((*SALES, 403, 403, 403, API_ANON), ("week",)),
    "bulletin-team-week": Row((*SALES, 200, 404, 403, API_ANON), ("team_a", "week")),
    "bulletin-own-line": Row((403, 403, 403, 403, 403, 200, API_ANON), ("week",)),
    "bulletin-reply": Row((400, 403, 403, 403, 404, 404, API_ANON), ("bulletin",), method="post"),
    "bulletin-annotation": Row((403, 403, 403, 400, 404, 404, API_ANON), ("bulletin",), method="post"),
    # the month close's API, as the months page: all of sales reads, the director closes and reopens (an empty body
    # is a 400 for them)
    "month-list": Row((*SALES, 403, 403, 403, API_ANON)),
    "month-close": Row((400, 403, 403, 403, 403, 403, API_ANON), method="post"),
    "month-reopen": Row((400, 403, 403, 403, 403, 403, API_ANON), method="post"),
    # the rollups' status, as its page: the director (and the admins)
    "rollup-status": Row((200, 403, 403, 403, 403, 403, API_ANON)),
    # the bottom-elimination rule the rankings page shows (all of sales; the director sets it)
    "elimination-rule": Row((*SALES, 403, 403, 403, API_ANON)),
    # the reward rules' API, as the rules pages: the director, the GM and HR read; the director adds the defaults
    # and runs the rules (March is not closed: a 400)
    "reward-rule-list": Row((*SALES, 403, 403, 403, API_ANON)),
    "reward-rule-detail": Row((*SALES, 403, 403, 403, API_ANON), ("rule",)),
    "reward-rule-run-list": Row((*SALES, 403, 403, 403, API_ANON)),
    "reward-rule-defaults": Row((200, 403, 403, 403, 403, 403, API_ANON), method="post"),
    "reward-rule-run": Row((400, 403, 403, 403, 403, 403, API_ANON), method="post", body={"month": "2017-03-01"}),
    # publishing and withdrawing a ranking: the director (an empty publish is a 400, no such ranking a 404)
    "published-ranking-publish": Row((400, 403, 403, 403, 403, 403, API_ANON), method="post"),
    "published-ranking-withdraw": Row((404, 403, 403, 403, 403, 403, API_ANON), ("ranking",), method="post"),
    # HR's candidates with the engine's reasons, for whom the candidates page is
    "promotion-candidate-list": Row((*SALES, 403, 403, 403, API_ANON)),
    # HR's promotion administration, as on the paths and candidates pages (an empty body: 400 for HR)
    "promotion-path-list": Row((*SALES, 403, 403, 403, API_ANON)),
    "promotion-path-step-add": Row((403, 403, 400, 403, 403, 403, API_ANON), method="post"),
    "promotion-requirement-add": Row((403, 403, 400, 403, 403, 403, API_ANON), ("step",), method="post"),
    "promotion-pool-rule": Row((*SALES, 403, 403, 403, API_ANON)),
    "training-session-list": Row((403, 403, 200, 403, 403, 403, API_ANON)),
    "training-session-detail": Row((403, 403, 200, 403, 403, 403, API_ANON), ("session",)),
    "training-attendance-add": Row((403, 403, 400, 403, 403, 403, API_ANON), ("session",), method="post"),
}

# Parts of a page with a rule of their own, on pages the role may open: shown (True) or left out (False) for each
# role of ROLES but anonymous; None where the page itself is refused (MATRIX says with what).
SECTIONS = [
    # the way up (access.may_see_way_up): everyone's own on their page; rep A's for HR, the director, the GM,
    # their manager and themself; the mover's (team A until May, team B since June) not for their former manager
    ("dashboards:mine", (), "way-up", (True, True, True, True, True, True)),
    ("dashboards:rep", ("rep_a",), "way-up", (True, True, True, True, None, True)),
    ("dashboards:rep", ("mover",), "way-up", (True, True, True, False, True, None)),
    ("dashboards:team", ("team_a",), "way-up-team", (True, True, True, True, None, None)),
]

# The API's names carry no namespace; it reads JSON bodies.
API_NAMES = {name for name in MATRIX if ":" not in name} - {"home", "login", "logout", "set_language"}


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Return every URL name the resolver knows, with its namespace (the admin's own screens left out)."""
    names: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: staff only, tested in tests/test_admin.py
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row():
    assert url_names() == set(MATRIX), "add the new URL to MATRIX with each role's status"


@pytest.fixture
def place(org, plan):
    """Return the values the rows' args, queries and bodies name: rep A's team, week and figures, the plan."""
    return replayed("access matrix place", lambda: _place(org, plan))


def _place(org, plan) -> dict:
    figures = figure_services.weekly_figures_save(week=MARCH_6, by=org.manager_a.user, channel="grid", rows=[
        figure_services.RepWeekInput(org.rep_a.pk, {"new_customers": "2"})])
    assert figures.created == [org.rep_a.pk]
    appraisal = _appraisal(org, plan)
    return {
        "cycle": appraisal.cycle_id, "act": "verify", "feedback_request": 2**31 - 1,
        "team_a": org.team_a.pk, "rep_a": org.rep_a.pk, "plan": plan.pk, "week": MARCH_6.isoformat(),
        "march": plan.months.get(month=date(2017, 3, 1)).pk, "field": "new_customers",
        "figures": org.rep_a.weekly_figures.get().pk, "appraisal": appraisal.pk,
        "case": _case(org).pk, "case_action": "withdraw",
        "step": _step(org).pk, "session": _session(org).pk, "mover": org.mover.pk,
        "notice": notice_publish(by=org.hr.user, title="年会通知", body="12 月 29 日").pk,
        "ranking_period": "month", "ranking_year": 2017, "ranking_month": 3, "ranking": 2**31 - 1,
        "record": _record(org).pk, "record_action": "withdraw",
        "rule": rule_save(by=org.director.user, code="top", name="月度冠军", metric="attainment", comparison="top",
                          threshold=1, period="month", scope="rep", kind="reward", method="notice",
                          text_template="{name}").pk,
        "token": token_create(user=org.hr.user, name="HR 的脚本").token.pk, "unversioned": "figures/",
        "unknown": "no-such-thing/",
        "bulletin": bulletin_save(team=org.team_a, week=MARCH_6, hard="新客户少", by=org.manager_a.user).pk,
    }


def _record(org):
    """Return rep A's cash reward, proposed by their manager."""
    return record_propose(by=org.manager_a.user, employee=org.rep_a, kind="reward", method="cash", amount=1000,
                          reason="月度冠军")


def _step(org):
    """Return the step up from rep to senior rep, added by HR."""
    return path_step_add(from_position=factories.PositionFactory(),
                         to_position=factories.PositionFactory(code="senior_rep", level=20), by=org.hr.user)


def _session(org):
    """Return a 2017 training session HR recorded."""
    return session_add(course=CourseType.objects.get_or_create(code="culture", defaults={"name": "企业文化"})[0],
                       title="企业文化", held_on=MARCH_6, hours=2, by=org.hr.user)


def _case(org):
    """Return rep A's development case, nominated by their manager."""
    return case_nominate(by=org.manager_a.user, employee_id=org.rep_a.pk, kind="development",
                         effective_on=date(2017, 9, 1), reason="末位", plan_text="培训", review_on=date(2017, 12, 1))


def _appraisal(org, plan):
    """Return rep A's appraisal in a cycle HR opened for all of sales (first half of 2017, in goals)."""
    cycle = cycle_open(by=org.hr.user, name="2017 上半年", kind="half_year", plan=plan, first_month=date(2017, 2, 1),
                       last_month=date(2017, 7, 1), goal_metrics=[{"metric": "total_deposits", "weight": 100}],
                       deadlines={})
    return cycle.appraisals.get(employee=org.rep_a)


def _fill(value, place: dict):
    if isinstance(value, dict):
        return {k: _fill(v, place) for k, v in value.items()}
    return place.get(value, value) if isinstance(value, str) else value


def _query(query: str, place: dict) -> str:
    pairs = [part.split("=") for part in query.split("&") if part]
    return "&".join(f"{k}={_fill(v, place)}" for k, v in pairs)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_status_the_matrix_says(client, org, place, unchanged, name):
    row = MATRIX[name]
    url = reverse(name, args=[place[a] for a in row.args])
    if row.query:
        url += "?" + _query(row.query, place)
    got = {}
    for role, expected in zip(ROLES, row.statuses, strict=True):
        client.logout()
        if role != "anonymous":
            client.force_login(org.by_role(role).user)
        send, body = getattr(client, row.method), _fill(row.body, place)
        # a write refused (4xx), or sent to log in, changes nothing
        refused = row.method != "get" and (role == "anonymous" or expected >= 400)
        with unchanged() if refused else nullcontext():
            response = send(url, body, content_type="application/json") if name in API_NAMES else send(url, body)
        got[role] = response.status_code
    assert got == dict(zip(ROLES, row.statuses, strict=True))



@pytest.mark.parametrize(("name", "args", "section", "shown"), SECTIONS,
                         ids=[f"{name}{list(args)}#{section}" for name, args, section, _ in SECTIONS])
def test_a_section_with_a_rule_of_its_own_shows_only_for_whom_the_table_says(client, org, place, name, args,
                                                                               section, shown):
    url = reverse(name, args=[place[a] for a in args])
    got = {}
    for role in ROLES[:-1]:
        client.force_login(org.by_role(role).user)
        response = client.get(url)
        got[role] = f'id="{section}"' in response.content.decode() if response.status_code == 200 else None
    assert got == dict(zip(ROLES[:-1], shown, strict=True))
