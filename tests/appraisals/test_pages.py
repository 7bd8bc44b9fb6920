"""The appraisal pages for every role they serve and refuse, the acts made through them, and what never shows."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils.module_loading import import_string

from appraisals.models import Appraisal, FeedbackRequest, RatingLevel, Step
from appraisals.services import feedback as feedback_services
from teams.selectors import events_for
from tests import factories
from tests.appraisals.conftest import DEADLINES, act, advance, appraisal_of, open_cycle, ratings, roll_up
from tests.snapshots import replayed

ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a", "rep_b"]
HR_ONLY = [403, 403, 200, 403, 403, 403, 403]
SALES_ONLY = [200, 200, 200, 403, 403, 403, 403]
REP_A = [200, 200, 200, 200, 404, 200, 404]  # rep A's appraisal: all of sales, their manager, themself
EVERYONE = [200] * 7


def urls(cycle, appraisal) -> dict[str, tuple[str, list[int]]]:
    return {
        "cycles": (reverse("appraisals:cycles"), HR_ONLY),
        "cycle_new": (reverse("appraisals:cycle_new"), HR_ONLY),
        "cycle": (reverse("appraisals:cycle", args=[cycle.pk]), HR_ONLY),
        "cycle_export": (reverse("appraisals:cycle_export", args=[cycle.pk]), HR_ONLY),
        "labels": (reverse("appraisals:labels"), HR_ONLY),
        "ratings": (reverse("appraisals:ratings") + f"?cycle={cycle.pk}", SALES_ONLY),
        "appraisal": (reverse("appraisals:appraisal", args=[appraisal.pk]), REP_A),
        "feedback": (reverse("appraisals:feedback"), EVERYONE),
        "list": (reverse("appraisals:list"), EVERYONE),
    }


LABELS = import_string("appraisals.migrations.0002_rating_labels.LABELS")
PAGES = ["cycles", "cycle_new", "cycle", "cycle_export", "labels", "ratings", "appraisal", "feedback", "list"]


@pytest.fixture(autouse=True)
def rating_labels(db):
    """The scale's default labels, as migration 0002 writes them: a transactional test elsewhere flushes the tables,
    and the migration's rows with them, so they are put back for each test here."""
    for level, zh, en in LABELS:
        RatingLevel.objects.get_or_create(level=level, defaults={"label_zh": zh, "label_en": en})


@pytest.fixture
def rolled(cycle):
    """The cycle with the period's months rolled up, so a self review can collect its figures."""
    replayed("rolled", roll_up)
    return cycle


def as_(client, employee):
    """Return the client signed in as the employee, reading the pages in English (the messages tested are)."""
    client.force_login(employee.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def html_of(client, employee, url: str) -> str:
    response = as_(client, employee).get(url)
    assert response.status_code == 200
    return response.content.decode()


def page_of(appraisal) -> str:
    return reverse("appraisals:appraisal", args=[appraisal.pk])


def act_url(appraisal, action: str) -> str:
    return reverse("appraisals:act", args=[appraisal.pk, action])


@pytest.mark.parametrize(("page", "role"), [(p, r) for p in PAGES for r in ROLES])
def test_each_page_answers_each_role_as_its_rule_says(client, org, cycle, page, role):
    url, statuses = urls(cycle, appraisal_of(cycle, org.rep_a))[page]
    assert as_(client, org.by_role(role) if role != "rep_b" else org.rep_b).get(url).status_code == \
        statuses[ROLES.index(role)]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_goes_to_log_in(client, org, cycle, page):
    url, _ = urls(cycle, appraisal_of(cycle, org.rep_a))[page]
    assert client.get(url).url.startswith(reverse("login"))


def test_an_unknown_cycle_or_appraisal_is_404(client, org, cycle):
    as_(client, org.hr)
    assert client.get(reverse("appraisals:cycle", args=[99999])).status_code == 404
    assert client.get(reverse("appraisals:appraisal", args=[99999])).status_code == 404


# --- the acts, made through the pages ---------------------------------------------------------------------------

def test_a_whole_appraisal_through_the_pages_ends_on_the_reps_own_page(client, org, plan, unchanged):
    roll_up()
    opened = as_(client, org.hr).post(reverse("appraisals:cycle_new"), {
        "name": "2017 第二季度", "kind": "quarterly", "plan": plan.pk, "first_month": "2017-05",
        "last_month": "2017-07", "weight_total_deposits": "100",
        **{f"due_{step}": day.isoformat() for step, day in DEADLINES.items()},
        "due_feedback": "2017-08-22",
    })
    assert opened.status_code == 302, opened.context["form"].errors if opened.context else opened
    appraisal = Appraisal.objects.get(cycle__name="2017 第二季度", employee=org.rep_a)
    steps = [
        (org.manager_a, "confirm_goals", {"weight_total_deposits": "100", "target_total_deposits": "500000"}),
        (org.rep_a, "submit_review", {"text": "第二季度述职", "self_rating_total_deposits": "4"}),
        (org.hr, "verify", {}),
        (org.manager_a, "rate", {"rating_total_deposits": "5", "rating": "5", "comment": "出色"}),
        (org.rep_a, "confirm", {}),
        (org.hr, "publish", {}),
    ]
    for who, action, data in steps:
        appraisal.refresh_from_db()
        assert action in html_of(client, who, page_of(appraisal)), action  # the page offers the act
        response = client.post(act_url(appraisal, action), {"version": appraisal.version, **data})
        assert response.status_code == 302, (action, response.content.decode()[-3000:])
    appraisal.refresh_from_db()
    assert appraisal.state == Step.PUBLISHED and appraisal.rating == 5
    mine = html_of(client, org.rep_a, reverse("dashboards:mine"))
    assert "2017 第二季度" in mine and "Excellent" in mine


def test_the_page_offers_only_the_act_the_viewer_may_take_now(client, org, cycle):
    appraisal = appraisal_of(cycle, org.rep_a)
    assert 'id="goals"' in html_of(client, org.manager_a, page_of(appraisal))
    rater = html_of(client, org.manager_a, page_of(appraisal))
    own = html_of(client, org.rep_a, page_of(appraisal))
    assert act_url(appraisal, "confirm_goals") in rater
    assert act_url(appraisal, "confirm_goals") not in own and "act-review" not in own
    hr = html_of(client, org.hr, page_of(appraisal))
    assert act_url(appraisal, "withdraw") in hr and act_url(appraisal, "confirm_goals") not in hr


def test_goals_whose_weights_miss_100_are_refused_on_the_weight_field_and_change_nothing(client, org, cycle,
                                                                                         unchanged):
    appraisal = appraisal_of(cycle, org.rep_a)
    as_(client, org.manager_a)
    with unchanged():
        response = client.post(act_url(appraisal, "confirm_goals"), {
            "version": appraisal.version, "weight_total_deposits": "60", "target_total_deposits": "1000",
            "weight_accounts_opened": "30", "target_accounts_opened": "10"})
    form = response.context["forms"]["goals"]
    assert "add up to 100" in " ".join(form.errors["weight_total_deposits"])
    assert 'value="60"' in response.content.decode()  # what was typed stays


def test_a_stale_version_names_who_acted_in_between_and_keeps_the_typed_text(client, org, rolled, unchanged):
    appraisal = advance(org, appraisal_of(rolled, org.rep_a), Step.SELF_REVIEW)
    shown = appraisal.version
    act("reassign", appraisal, org.hr, rater_id=org.manager_b.pk, reason="调岗")  # HR acts while the rep types
    as_(client, org.rep_a)
    with unchanged():
        response = client.post(act_url(appraisal, "submit_review"), {
            "version": shown, "text": "我的述职：本季度开户二十户", "self_rating_total_deposits": "4",
            "self_rating_accounts_opened": "3"})
    html = response.content.decode()
    assert response.context["forms"]["review"].non_field_errors()
    assert org.hr.name in html and "after you opened it" in html
    assert "我的述职：本季度开户二十户" in html
    appraisal.refresh_from_db()
    assert f'name="version" value="{appraisal.version}"' in html  # a second submit is a deliberate one


def refused_rating(client, org, rolled, unchanged, who, rating: str, comment: str):
    """Return the page after `who` posts rep A's rating (goals rated 5), checked to change nothing."""
    appraisal = advance(org, appraisal_of(rolled, org.rep_a), Step.RATING)
    as_(client, who)
    with unchanged():
        response = client.post(act_url(appraisal, "rate"), {
            "version": appraisal.version, "rating_total_deposits": "5", "rating_accounts_opened": "5",
            "rating": rating, "comment": comment})
    assert response.status_code == 200
    return response.context["forms"]["rate"]


def test_a_far_rating_without_a_reason_is_refused_on_the_reason_field(client, org, rolled, unchanged):
    form = refused_rating(client, org, rolled, unchanged, org.manager_a, "1", "差")
    assert "say why" in " ".join(form.errors["reason"])


def test_a_rep_cannot_rate_their_own_appraisal_through_the_page(client, org, rolled, unchanged):
    form = refused_rating(client, org, rolled, unchanged, org.rep_a, "5", "自评优秀")
    assert "Only the appraisal's rater may do this." in form.non_field_errors()


def test_an_act_on_an_appraisal_outside_the_scope_is_404_and_changes_nothing(client, org, cycle, unchanged):
    appraisal = appraisal_of(cycle, org.rep_a)
    as_(client, org.manager_b)
    with unchanged():
        assert client.post(act_url(appraisal, "confirm_goals"), {"version": appraisal.version}).status_code == 404
        assert client.post(act_url(appraisal, "no_such_act"), {"version": 1}).status_code == 404


def test_a_cycle_with_a_deadline_before_its_period_is_refused_on_the_form(client, org, plan, unchanged):
    as_(client, org.hr)
    with unchanged():
        response = client.post(reverse("appraisals:cycle_new"), {
            "name": "坏周期", "kind": "quarterly", "plan": plan.pk, "first_month": "2017-05", "last_month": "2017-07",
            "weight_total_deposits": "100", **{f"due_{s}": "2017-08-30" for s in DEADLINES},
            "due_feedback": "2017-08-30", "due_goals": "2017-01-10"})
    errors = response.context["form"].errors
    assert "due_goals" in errors and "2017-05-01" in " ".join(errors["due_goals"])


def test_weights_missing_100_are_refused_on_the_cycle_form(client, org, plan, unchanged):
    as_(client, org.hr)
    with unchanged():
        response = client.post(reverse("appraisals:cycle_new"), {
            "name": "坏权重", "kind": "quarterly", "plan": plan.pk, "first_month": "2017-05", "last_month": "2017-07",
            "weight_total_deposits": "80", **{f"due_{s}": day.isoformat() for s, day in DEADLINES.items()},
            "due_feedback": "2017-08-22"})
    assert "add up to 100" in " ".join(response.context["form"].errors.get("weight_total_deposits", []))


def test_hr_adds_a_person_and_withdraws_one_with_a_reason_from_the_cycle_page(client, org, cycle, unchanged):
    newcomer = factories.employee(team=org.team_a, hired=date(2017, 3, 1), name="新来者")
    cycle_page = reverse("appraisals:cycle", args=[cycle.pk])
    as_(client, org.hr)
    with unchanged():
        refused = client.post(reverse("appraisals:cycle_add", args=[cycle.pk]), {"employee": newcomer.pk,
                                                                                 "reason": " "})
    assert refused.context["person_form"].errors
    assert client.post(reverse("appraisals:cycle_add", args=[cycle.pk]),
                       {"employee": newcomer.pk, "reason": "三月入职"}).status_code == 302
    added = appraisal_of(cycle, newcomer)
    response = client.post(act_url(added, "withdraw"), {"version": added.version, "reason": "转岗", "next": cycle_page})
    assert response.url == cycle_page
    added.refresh_from_db()
    assert added.state == Step.WITHDRAWN


def test_hr_renames_a_rating_level(client, org, unchanged):
    as_(client, org.hr)
    data = {f"{lang}_{r.level}": (r.label_zh if lang == "zh" else r.label_en)
            for r in RatingLevel.objects.all() for lang in ("zh", "en")}
    with unchanged():
        refused = client.post(reverse("appraisals:labels"), {**data, "zh_5": ""})
    assert refused.context["form"].errors["zh_5"]
    assert client.post(reverse("appraisals:labels"), {**data, "zh_5": "卓越"}).status_code == 302
    assert RatingLevel.objects.get(level=5).label_zh == "卓越"


# --- anonymous feedback -----------------------------------------------------------------------------------------

GIVERS = ["rep_b", "mover", "manager_b"]
ANSWERS = {"rep_b": "乙：沟通积极", "mover": "调：客户跟进及时", "manager_b": "经：协作良好"}


@pytest.fixture
def with_feedback(org, plan):
    """A cycle that collects feedback, rep A's appraisal in it with three answers given, the feedback closed."""
    roll_up()
    cycle = open_cycle(org, plan, name="2017 上半年 含反馈", with_feedback=True,
                       deadlines={**DEADLINES, "feedback": date(2017, 8, 22)})
    appraisal = advance(org, appraisal_of(cycle, org.rep_a), Step.SELF_REVIEW)
    feedback_services.feedback_ask(by=org.hr.user, appraisal_id=appraisal.pk,
                                   giver_ids=[org.by_role(g).pk for g in GIVERS])
    return appraisal


def answer(org, appraisal, givers) -> None:
    for g in givers:
        request = FeedbackRequest.objects.get(appraisal=appraisal, giver=org.by_role(g))
        feedback_services.feedback_answer(by=org.by_role(g).user, request_id=request.pk, answer=ANSWERS[g])


def test_a_giver_sees_and_answers_only_their_own_request(client, org, with_feedback, unchanged):
    html = html_of(client, org.rep_b, reverse("appraisals:feedback"))
    assert org.rep_a.name in html and html.count('class="card" id="request-') == 1
    mine = FeedbackRequest.objects.get(appraisal=with_feedback, giver=org.rep_b)
    theirs = FeedbackRequest.objects.get(appraisal=with_feedback, giver=org.mover)
    with unchanged():
        assert client.post(reverse("appraisals:feedback_answer", args=[theirs.pk]),
                           {f"r{theirs.pk}-answer": "冒充"}).status_code == 404
        blank = client.post(reverse("appraisals:feedback_answer", args=[mine.pk]), {f"r{mine.pk}-answer": " "})
    assert blank.status_code == 200
    assert client.post(reverse("appraisals:feedback_answer", args=[mine.pk]),
                       {f"r{mine.pk}-answer": "很好"}).status_code == 302
    mine.refresh_from_db()
    assert mine.answer == "很好"


def test_no_page_names_a_giver_to_the_appraisee_or_the_rater(client, org, with_feedback):
    answer(org, with_feedback, GIVERS)
    appraisal = advance(org, with_feedback, Step.PUBLISHED)
    names = [org.by_role(g).name for g in GIVERS]
    for reader in (org.rep_a, org.manager_a):
        # (the team's page names the mover, a former member: the answers are what must not be there)
        start = reverse("dashboards:mine") if reader == org.rep_a else reverse("dashboards:team", args=[org.team_a.pk])
        pages = [html_of(client, reader, page_of(appraisal)), html_of(client, reader, start)]
        assert not [n for n in names if n in pages[0]], reader.name
        assert not [a for a in ANSWERS.values() if a in pages[1]], reader.name
        feedback = pages[0][pages[0].index('id="feedback"'):pages[0].index('id="rating"')]
        # every answer, ordered by its text (not by who answered or when)
        assert [feedback.index(a) for a in sorted(ANSWERS.values())] == sorted(
            feedback.index(a) for a in ANSWERS.values())
    hr = html_of(client, org.hr, page_of(appraisal))
    assert all(n in hr for n in names)  # HR sees who said what


def test_fewer_than_three_answers_are_not_shown_to_the_appraisee(client, org, with_feedback):
    answer(org, with_feedback, GIVERS[:2])
    appraisal = advance(org, with_feedback, Step.VERIFICATION)
    html = html_of(client, org.rep_a, page_of(appraisal))
    assert not [a for a in ANSWERS.values() if a in html]
    assert "at least three" in html


def test_the_export_holds_the_results_and_never_the_feedback(client, org, with_feedback):
    answer(org, with_feedback, GIVERS)
    advance(org, with_feedback, Step.PUBLISHED)
    response = as_(client, org.hr).get(reverse("appraisals:cycle_export", args=[with_feedback.cycle_id]))
    book = openpyxl.load_workbook(BytesIO(response.content))
    results, goals = book.worksheets[0], book.worksheets[1]
    rows = {r[1]: r for r in results.iter_rows(min_row=2, values_only=True)}
    assert rows[org.rep_a.name][5] == str(Step.PUBLISHED.label) and rows[org.rep_a.name][8] == "Good"
    assert rows[org.rep_a.name][6] == 4.0
    goal_rows = [r for r in goals.iter_rows(min_row=2, values_only=True) if r[1] == org.rep_a.name]
    assert {r[2] for r in goal_rows} == {"Total deposits", "Accounts opened"}
    cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)
    assert not [a for a in ANSWERS.values() if a in cells]
    assert org.rep_b.name not in {row[1] for row in goals.iter_rows(min_row=2, values_only=True)} - {org.rep_b.name}


# --- the director's ratings by team ----------------------------------------------------------------------------

def test_the_ratings_page_counts_each_level_per_team(client, org, rolled):
    for rep, level in ((org.rep_a, 5), (org.rep_b, 2)):
        appraisal = advance(org, appraisal_of(rolled, rep), Step.RATING)
        act("rate", appraisal, org.by_role("manager_a" if rep == org.rep_a else "manager_b"),
            goal_ratings=ratings(appraisal, level), rating=level, comment="评语")
    teams = as_(client, org.director).get(reverse("appraisals:ratings"), {"cycle": rolled.pk}).context["teams"]
    by_team = {line.team.pk: line.counts for line in teams}
    assert by_team[org.team_a.pk] == [1, 0, 0, 0, 0]  # best first: 优秀 … 不合格
    assert by_team[org.team_b.pk] == [0, 0, 0, 1, 0]


def test_the_ratings_page_opens_on_the_newest_cycle_with_published_results(client, org, plan, rolled):
    advance(org, appraisal_of(rolled, org.rep_a), Step.PUBLISHED)
    newer = open_cycle(org, plan, name="2017 第三季度", kind="quarterly", first=date(2017, 8, 1),
                       last=date(2017, 10, 1), deadlines={})
    page = as_(client, org.director).get(reverse("appraisals:ratings"))
    assert page.context["cycle"] == rolled and newer in page.context["cycles"]


# --- query counts ----------------------------------------------------------------------------------------------

# session, user; principal; the cycle, its teams; the list's count; the counts by team and step; overdue (the
# late appraisals: here their raters hold them, so no HR log-ins); the rating labels; the deadlines; the list's page
# (with its feedback counts); the employees "add a person" offers; the header's unread notices
PROGRESS_QUERIES = 13


@pytest.mark.parametrize("extra_reps", [0, 12])
def test_the_cycle_page_runs_the_same_queries_at_any_size(client, org, plan, extra_reps, django_assert_num_queries):
    for n in range(extra_reps):
        factories.employee(team=org.team_a if n % 2 else org.team_b, name=f"加员{n}")
    cycle = open_cycle(org, plan)
    as_(client, org.hr).get(reverse("home"))
    with django_assert_num_queries(PROGRESS_QUERIES):
        assert client.get(reverse("appraisals:cycle", args=[cycle.pk]), {"sort": "-name"}).status_code == 200


# --- everyone's list -------------------------------------------------------------------------------------------

def listed(client, employee, **query) -> list[str]:
    """Return the names in the viewer's list of appraisals, in the page's order."""
    response = as_(client, employee).get(reverse("appraisals:list"), query)
    assert response.status_code == 200
    return [a.employee.name for a in response.context["page"].object_list]


def test_the_list_shows_a_rep_only_their_own_and_a_manager_their_teams(client, org, cycle):
    assert listed(client, org.rep_a) == [org.rep_a.name]
    team_a = set(cycle.appraisals.filter(team=org.team_a).values_list("employee__name", flat=True))
    managed = set(listed(client, org.manager_a))
    assert team_a <= managed and org.rep_b.name not in managed
    assert set(listed(client, org.hr)) == set(cycle.appraisals.values_list("employee__name", flat=True))


def test_the_list_filters_by_step_sorts_by_name_and_shows_what_waits_for_the_viewer(client, org, cycle):
    everyone = listed(client, org.hr, sort="name")
    assert everyone == sorted(everyone)
    assert listed(client, org.hr, step=Step.PUBLISHED) == []
    assert set(listed(client, org.hr, step=Step.GOALS)) == set(everyone)
    response = as_(client, org.manager_a).get(reverse("appraisals:list"))
    assert appraisal_of(cycle, org.rep_a) in response.context["todo"]  # the rater confirms the goals


def test_the_list_shows_a_signed_rating_to_hr_and_not_yet_to_the_director(client, org, rolled):
    appraisal = advance(org, appraisal_of(rolled, org.rep_a), Step.CONFIRMATION)
    label = RatingLevel.objects.get(level=appraisal.rating).label_en

    def row_of(employee) -> str:
        page = html_of(client, employee, reverse("appraisals:list") + f"?step={Step.CONFIRMATION}")
        return page[page.index('id="appraisal-list"'):]

    assert label in row_of(org.hr) and label in row_of(org.rep_a)  # the appraisee confirms what they see
    assert label not in row_of(org.director)  # published results only, for a rep's appraisal


# session, user; principal; the list's count and page; to-do; rating labels; the cycles of the filter;
# the header's unread notices
LIST_QUERIES = 9


@pytest.mark.parametrize("extra_reps", [0, 12])
def test_the_list_runs_the_same_queries_at_any_size(client, org, plan, extra_reps, django_assert_num_queries):
    for n in range(extra_reps):
        factories.employee(team=org.team_a if n % 2 else org.team_b, name=f"加员{n}")
    open_cycle(org, plan)
    as_(client, org.hr).get(reverse("home"))
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("appraisals:list"), {"sort": "-name"}).status_code == 200


def test_hr_moves_a_due_date_and_the_cycle_history_says_who_moved_which(client, org, cycle):
    as_(client, org.hr)
    posted = {f"due_{step}": due.isoformat() for step, due in DEADLINES.items()}
    posted["due_goals"] = "2017-08-12"
    response = client.post(reverse("appraisals:cycle_deadlines", args=[cycle.pk]), posted)
    assert response.status_code == 302
    assert cycle.deadlines.get(step=Step.GOALS).due_on == date(2017, 8, 12)
    event = list(events_for(cycle))[-1]
    assert event.action == "set_deadlines" and event.by == org.hr.user and "2017-08-10 → 2017-08-12" in event.reason


def test_a_due_date_before_the_period_is_refused_on_the_cycle_page_and_changes_nothing(client, org, cycle,
                                                                                        unchanged):
    as_(client, org.hr)
    posted = {f"due_{step}": due.isoformat() for step, due in DEADLINES.items()}
    posted["due_goals"] = "2016-01-01"
    with unchanged():
        response = client.post(reverse("appraisals:cycle_deadlines", args=[cycle.pk]), posted)
    assert response.status_code == 200
    assert "before the period starts" in response.context["deadlines_form"].errors["due_goals"][0]
