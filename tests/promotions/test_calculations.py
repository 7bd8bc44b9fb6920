"""The eligibility engine on the seed's rules (no database): time in position after probation, the latest rating
and its rater, training hours and exam, leavers, no path; and the calendar-month arithmetic under hypothesis."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from promotions import calculations as calc
from promotions.calculations import Attended, Held, History, RatingResult, Requirement, Training

STAFF = Requirement("rep", "senior_rep", 6, 5, "优秀", calc.MANAGER)
MANAGERS = Requirement("manager", "director", 12, 5, "优秀", calc.DIRECTOR)
TRAINED = Requirement("rep", "senior_rep", 6, 5, "优秀", calc.MANAGER, Decimal(24), Decimal(80))
EXCELLENT = (RatingResult(date(2017, 6, 30), 5, "优秀", calc.MANAGER),)


@pytest.fixture(autouse=True)
def chinese(english_messages):
    """The checks read in Chinese, the product's language, as the issue quotes them."""
    with translation.override("zh-hans"):
        yield


def rep(hired=date(2017, 1, 1), probation_end=date(2017, 3, 31), *moves: Held, left_on=None) -> History:
    return History(hired, probation_end, (Held(hired, "rep", 1), *moves), left_on)


NO_TRAINING = Training()


def verdict(history, on, results=EXCELLENT, training=NO_TRAINING, requirement=STAFF, early=False):
    return calc.eligibility(history, results, training, requirement, on=on, early=early)


def check(result, rule):
    return next(c for c in result.checks if c.rule == rule)


@pytest.mark.parametrize(("history", "on", "expected", "eligible_from"), [
    # probation ends 31 March: six months count from 1 April and are met on 1 October
    (rep(), date(2017, 10, 1), "now", date(2017, 10, 1)),
    (rep(), date(2017, 9, 30), "from", date(2017, 10, 1)),
    # probation ending mid-month: the count starts the day after
    (rep(probation_end=date(2017, 3, 15)), date(2017, 9, 16), "now", date(2017, 9, 16)),
    (rep(probation_end=date(2017, 3, 15)), date(2017, 9, 15), "from", date(2017, 9, 16)),
    # a move between positions restarts the clock, probation long over
    (rep(date(2016, 1, 4), date(2016, 4, 3), Held(date(2017, 3, 1), "senior_rep", 2),
         Held(date(2017, 5, 1), "rep", 2)), date(2017, 8, 1), "from", date(2017, 11, 1)),
    # a grade change in the same position does not
    (rep(date(2016, 1, 4), date(2016, 4, 3), Held(date(2017, 5, 1), "rep", 3)), date(2017, 8, 1), "now",
     date(2017, 8, 1)),
    # a leaver is never eligible after leaving, nor from a date after it
    (rep(left_on=date(2017, 10, 31)), date(2017, 11, 1), "not", None),
    (rep(left_on=date(2017, 9, 20)), date(2017, 9, 1), "not", None),
    (rep(left_on=date(2017, 12, 31)), date(2017, 9, 1), "from", date(2017, 10, 1)),
])
def test_time_in_position_counts_after_probation_from_the_unbroken_run(history, on, expected, eligible_from):
    result = verdict(history, on)
    assert (result.verdict, result.eligible_from) == (expected, eligible_from)


def test_exactly_six_months_is_eligible_and_says_since_when():
    result = verdict(rep(probation_end=date(2017, 6, 2)), date(2017, 12, 3))
    assert result.verdict == "now"
    assert check(result, "time").text == "在现职位 6个月0天（不含试用期）；需满 6个月 — 2017-12-03 起符合"


def test_the_time_check_reads_months_and_days_and_the_day_it_is_met():
    result = verdict(rep(probation_end=date(2017, 6, 2)), date(2017, 11, 14))
    assert result.verdict == "from"
    assert check(result, "time").text == "在现职位 5个月11天（不含试用期）；需满 6个月 — 2017-12-03 起符合"


def test_early_promotion_out_of_probation_counts_the_probation():
    history = rep(date(2017, 1, 1), date(2017, 6, 30))
    assert verdict(history, date(2017, 7, 1)).verdict == "from"
    early = verdict(history, date(2017, 7, 1), early=True)
    assert early.verdict == "now"
    assert "提前" in check(early, "time").text


@pytest.mark.parametrize(("results", "met", "text"), [
    (EXCELLENT, True, "最近一次考核：优秀（部门经理评定）；需要：优秀（部门经理评定）"),
    ((RatingResult(date(2017, 6, 30), 4, "良好", calc.MANAGER),), False,
     "最近一次考核：良好（部门经理评定）；需要：优秀（部门经理评定）"),
    ((RatingResult(date(2017, 6, 30), 5, "优秀", calc.DIRECTOR),), False,
     "最近一次考核：优秀（销售总监评定）；需要：优秀（部门经理评定）"),
    ((), False, "尚无已发布的考核结果；需要：优秀（部门经理评定）"),
    # the latest period counts, not the best: excellent in Q1, good in Q2
    ((RatingResult(date(2017, 3, 31), 5, "优秀", calc.MANAGER), RatingResult(date(2017, 6, 30), 4, "良好",
                                                                            calc.MANAGER)), False,
     "最近一次考核：良好（部门经理评定）；需要：优秀（部门经理评定）"),
])
def test_the_latest_rating_must_be_excellent_from_the_required_rater(results, met, text):
    result = verdict(rep(), date(2017, 10, 1), results=results)
    assert (check(result, "rating").met, check(result, "rating").text) == (met, text)
    assert result.verdict == ("now" if met else "not")


def test_a_manager_step_needs_twelve_months_and_the_directors_rating():
    history = History(date(2015, 1, 5), date(2015, 4, 4), (Held(date(2015, 1, 5), "rep", 1),
                                                             Held(date(2016, 9, 1), "manager", 5)))
    directors = (RatingResult(date(2017, 6, 30), 5, "优秀", calc.DIRECTOR),)
    assert verdict(history, date(2017, 9, 1), results=directors, requirement=MANAGERS).verdict == "now"
    before = verdict(history, date(2017, 8, 31), results=directors, requirement=MANAGERS)
    assert (before.verdict, before.eligible_from) == ("from", date(2017, 9, 1))
    assert verdict(history, date(2017, 9, 1), requirement=MANAGERS).verdict == "not"  # rated by a manager


@pytest.mark.parametrize(("attended", "hours_met", "exam_met", "hours_text", "exam_text"), [
    ((Attended(date(2017, 5, 1), Decimal(18)),), False, False, "培训 18 / 24 小时", "尚未参加考试；需要 80 分"),
    ((Attended(date(2017, 5, 1), Decimal(16), Decimal(75)), Attended(date(2017, 6, 1), Decimal("8.5"),
                                                                      Decimal(82))),
     True, True, "培训 24.5 / 24 小时", "最高考试成绩 82 分；需要 80 分"),
    # a session after the day does not count yet
    ((Attended(date(2017, 5, 1), Decimal(16)), Attended(date(2017, 12, 1), Decimal(8), Decimal(90))), False, False,
     "培训 16 / 24 小时", "尚未参加考试；需要 80 分"),
])
def test_training_hours_and_the_best_exam_score_count_to_the_day(attended, hours_met, exam_met, hours_text,
                                                                   exam_text):
    result = verdict(rep(), date(2017, 10, 1), training=Training(attended), requirement=TRAINED)
    assert (check(result, "training_hours").met, check(result, "training_hours").text) == (hours_met, hours_text)
    assert (check(result, "exam").met, check(result, "exam").text) == (exam_met, exam_text)
    assert result.verdict == ("now" if hours_met and exam_met else "not")


def test_missing_training_is_not_eligible_even_when_time_will_come():
    result = verdict(rep(), date(2017, 9, 1), training=Training((Attended(date(2017, 5, 1), Decimal(18)),)),
                     requirement=TRAINED)
    assert (result.verdict, result.eligible_from) == ("not", None)
    assert {c.rule for c in result.unmet} == {"time", "training_hours", "exam"}


def test_no_path_is_a_special_approval():
    result = verdict(rep(), date(2017, 10, 1), requirement=None)
    assert result.verdict == "not"
    assert [c.rule for c in result.unmet] == ["path"]
    assert "总经理特批" in result.checks[0].text


def test_a_step_from_another_position_is_not_met():
    result = verdict(rep(), date(2017, 10, 1), requirement=MANAGERS)
    assert result.verdict == "not"
    assert [c.rule for c in result.unmet] == ["position"]


def test_a_leaver_is_told_so():
    result = verdict(rep(left_on=date(2017, 10, 31)), date(2017, 11, 1))
    assert not check(result, "employment").met
    assert "2017-10-31" in check(result, "employment").text


def test_every_check_is_explained():
    result = verdict(rep(), date(2017, 9, 1), requirement=TRAINED)
    assert [c.rule for c in result.checks] == ["time", "rating", "training_hours", "exam"]
    assert all(c.text for c in result.checks)


# --- the month arithmetic --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2017, 1, 31), 1, date(2017, 2, 28)), (date(2016, 1, 31), 1, date(2016, 2, 29)),
    (date(2016, 2, 29), 12, date(2017, 2, 28)), (date(2016, 2, 29), 48, date(2020, 2, 29)),
    (date(2017, 8, 31), 6, date(2018, 2, 28)), (date(2017, 3, 31), 6, date(2017, 9, 30)),
    (date(2017, 12, 15), 1, date(2018, 1, 15)), (date(2017, 5, 1), 0, date(2017, 5, 1)),
])
def test_months_are_calendar_months_ending_on_the_months_last_day(day, months, expected):
    assert calc.add_months(day, months) == expected


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
counts = st.integers(min_value=0, max_value=36)


@given(days, counts)
def test_adding_months_keeps_the_day_or_takes_the_months_last(day, months):
    later = calc.add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == min(day.day, calc.month_end(later).day)


@given(days, counts)
def test_n_months_after_a_day_read_as_n_months_and_no_days(day, months):
    assert calc.months_and_days(day, calc.add_months(day, months)) == (months, 0)


@given(days, days)
def test_months_and_days_never_overshoot_and_stay_under_a_month(start, end):
    months, left = calc.months_and_days(start, end)
    if end <= start:
        assert (months, left) == (0, 0)
        return
    assert calc.add_months(start, months) + timedelta(days=left) == end
    assert calc.add_months(start, months + 1) > end


@given(days, st.integers(min_value=0, max_value=120), st.integers(min_value=1, max_value=24), counts)
def test_eligible_exactly_from_the_day_the_months_after_probation_are_met(hired, probation_days, need, offset):
    probation_end = hired + timedelta(days=probation_days)
    history = History(hired, probation_end, (Held(hired, "rep", 1),))
    requirement = Requirement("rep", "senior_rep", need, 5, "优秀", calc.MANAGER)
    met_on = calc.add_months(probation_end + timedelta(days=1), need)
    for on in (met_on - timedelta(days=offset + 1), met_on, met_on + timedelta(days=offset)):
        if on < hired:
            continue  # not yet hired: holds no position
        results = (RatingResult(min(on, hired), 5, "优秀", calc.MANAGER),)
        result = calc.eligibility(history, results, Training(), requirement, on=on)
        assert result.verdict == ("now" if on >= met_on else "from")
        assert result.eligible_from == (on if on >= met_on else met_on)


# --- the requirement in force on a day (the paths page; rows are added with a date, never edited) --------------

@dataclass(frozen=True)
class Row:
    valid_from: date


def test_the_row_in_force_is_the_latest_on_or_before_the_day():
    rows = [Row(date(2017, 1, 1)), Row(date(2018, 1, 1)), Row(date(2017, 6, 1))]
    assert calc.in_force(rows, date(2017, 5, 31)) == Row(date(2017, 1, 1))
    assert calc.in_force(rows, date(2017, 6, 1)) == Row(date(2017, 6, 1))  # in force on its own day
    assert calc.in_force(rows, date(2016, 12, 31)) is None
    assert calc.in_force([], date(2017, 6, 1)) is None


@given(st.lists(days, unique=True), days)
def test_no_row_takes_effect_between_the_one_in_force_and_the_day(valid_froms, on):
    rows = [Row(d) for d in valid_froms]
    found = calc.in_force(rows, on)
    if found is None:
        assert all(r.valid_from > on for r in rows)
    else:
        assert found.valid_from <= on
        assert not any(found.valid_from < r.valid_from <= on for r in rows)
