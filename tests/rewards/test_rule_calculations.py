"""What a rule finds in hand-made period results, without a database: ties, nobody qualifying, leavers, the
bottom list, thresholds in the stored unit, referrals by whole months."""

from datetime import date
from decimal import Decimal as D

from rewards.calculations import (
    Hire,
    Result,
    competition_ranks,
    months_between,
    qualifying,
    reason_text,
    referrals_due,
    threshold_as_value,
)


def ids(qualifiers) -> list[int]:
    return [q.subject_id for q in qualifiers]


def test_ties_at_the_top_all_qualify_and_share_the_place():
    results = [Result(1, D("1.3")), Result(2, D("1.3")), Result(3, D("1.1")), Result(4, D("0.9"))]
    top = qualifying("top", D(1), results)
    assert [(q.subject_id, q.rank) for q in top] == [(1, 1), (2, 1)]
    assert competition_ranks(results) == {1: 1, 2: 1, 3: 3, 4: 4}
    assert ids(qualifying("top", D(2), results)) == [1, 2]  # the third place is 3, not 2
    assert ids(qualifying("top", D(3), results)) == [1, 2, 3]


def test_a_month_where_nobody_deposited_has_no_winner():
    assert qualifying("top", D(1), [Result(1, D(0)), Result(2, None), Result(3, D(0))]) == []
    assert qualifying("gte", D("1.2"), [Result(1, D("1.19")), Result(2, None)]) == []


def test_a_rep_who_left_in_the_month_is_never_proposed_for():
    results = [Result(1, D("2.0"), left=True), Result(2, D("1.5")), Result(3, D("0.1"), left=True, flagged=True)]
    assert [(q.subject_id, q.rank) for q in qualifying("top", D(1), results)] == [(2, 1)]
    assert ids(qualifying("gte", D("1.2"), results)) == [2]
    assert ids(qualifying("bottom", None, results)) == []


def test_thresholds_compare_at_least_and_at_most_inclusive():
    results = [Result(1, D("1.2")), Result(2, D("1.5")), Result(3, D("0.5")), Result(4, D("0.49"))]
    at_least = qualifying("gte", threshold_as_value(D(120), percent=True), results)
    assert ids(at_least) == [2, 1] and [q.rank for q in at_least] == [1, 2]
    assert ids(qualifying("lte", threshold_as_value(D(50), percent=True), results)) == [4, 3]
    assert threshold_as_value(D(500000), percent=False) == D(500000)


def test_the_bottom_list_is_the_flagged_reps_with_their_streaks():
    results = [Result(5, D("0.2"), flagged=True, consecutive=2), Result(3, D("0.3"), flagged=True, consecutive=1),
               Result(4, D("0.9"))]
    assert [(q.subject_id, q.consecutive) for q in qualifying("bottom", None, results)] == [(3, 1), (5, 2)]


def test_whole_months_in_the_company():
    assert months_between(date(2017, 1, 15), date(2017, 4, 14)) == 2
    assert months_between(date(2017, 1, 15), date(2017, 4, 15)) == 3
    assert months_between(date(2017, 1, 1), date(2017, 3, 31)) == 2


def test_a_referral_is_due_once_the_hire_has_stayed_n_months_both_still_employed():
    end = date(2017, 6, 30)
    hires = [Hire(10, 1, date(2017, 3, 1)),                                # 3 months on 30 June: due
             Hire(11, 1, date(2017, 4, 1)),                                # 2 months: not yet
             Hire(12, 2, date(2017, 1, 2), left_on=date(2017, 5, 1)),       # the hire left
             Hire(13, 3, date(2017, 1, 2), referrer_left_on=date(2017, 6, 1)),  # the referrer left
             Hire(14, 4, date(2017, 2, 1), left_on=date(2017, 7, 15))]      # leaves later: due
    assert [h.employee_id for h in referrals_due(hires, months=3, as_of=end)] == [14, 10]


def test_the_text_template_is_filled_in():
    assert reason_text("{period}第{rank}名：{name}，达成率 {value}", name="张三", period="2017年9月", value="130.0%",
                       rank="1") == "2017年9月第1名：张三，达成率 130.0%"
