"""The way up on the pages: the rep's own card, the drill-down's for those allowed, the team's table for its
manager, HR and the director; the empty states in plain words; exam scores only for the rep and HR."""

from datetime import date

import pytest
from django.urls import reverse

from promotions.services import paths, training
from teams import services as team_services
from tests import factories
from tests.promotions.conftest import course, publish

TODAY = date(2017, 9, 1)


@pytest.fixture(autouse=True)
def today(settings):
    settings.AS_OF_DATE = TODAY


def page(client, employee, url: str, language: str = "en") -> str:
    client.force_login(employee.user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def card(html: str, section: str = "way-up") -> str:
    """Return the HTML of the way-up card (or the team's table), "" when the page has none."""
    start = html.find(f'id="{section}"')
    return html[start:html.index("</section>", start)] if start >= 0 else ""


def exam(org, score: int) -> None:
    session = training.session_add(course=course("product"), title="产品知识", hours=16, held_on=date(2017, 6, 5),
                                   has_exam=True, by=org.hr.user)
    training.attendance_record(session=session, employee=org.rep_a, exam_score=score, by=org.hr.user)


def test_the_reps_own_page_shows_their_position_next_position_and_each_rule_in_chinese(client, org, plan,
                                                                                       way_up_paths):
    exam(org, 85)
    way_up = card(page(client, org.rep_a, reverse("dashboards:mine"), "zh-hans"))
    assert "我的晋升之路" in way_up and "现职位：" in way_up and "销售代表" in way_up and "2016-01-04 起" in way_up
    assert "下一职位： 高级销售代表" in way_up and "尚不符合" in way_up
    assert "✓ 在现职位 19个月27天（不含试用期）；需满 6个月 — 2016-07-05 起符合" in way_up
    assert "✗ 尚无已发布的考核结果；需要：优秀（部门经理评定）" in way_up
    assert "✓ 培训 16 / 16 小时" in way_up and "✓ 最高考试成绩 85 分；需要 80 分" in way_up
    assert "还有 1 项条件尚未满足。" in way_up


def test_the_drill_down_shows_the_card_to_the_reps_manager_without_the_exam_score(client, org, plan, way_up_paths):
    exam(org, 85)
    url = reverse("dashboards:rep", args=[org.rep_a.pk])
    for who, own in ((org.manager_a, False), (org.director, False), (org.hr, True), (org.rep_a, True)):
        way_up = card(page(client, who, url))
        assert "Next position: 高级销售代表" in way_up, who
        assert ("Best exam score 85; needs 80" in way_up) is own, who
        assert ("Exam passed; needs 80" in way_up) is not own, who
    assert "My way up" in card(page(client, org.rep_a, url))
    # the mover left team A for team B on 1 June: manager A still reads their past months, not their way up
    mover = page(client, org.manager_a, reverse("dashboards:rep", args=[org.mover.pk]))
    assert "Months" in mover and card(mover) == ""


def test_an_eligible_rep_can_be_nominated_from_the_card_and_the_team_table(client, org, plan, cycle, way_up_paths):
    publish(org, cycle, org.rep_a, 5)
    exam(org, 85)
    nominate = (reverse("promotions:case_new") +
                f"?employee={org.rep_a.pk}&amp;to_position={way_up_paths.to_position_id}")
    assert nominate in card(page(client, org.manager_a, reverse("dashboards:rep", args=[org.rep_a.pk])))
    assert nominate in card(page(client, org.manager_a, reverse("dashboards:team", args=[org.team_a.pk])),
                            "way-up-team")
    own = card(page(client, org.rep_a, reverse("dashboards:mine")))
    assert "Eligible now" in own and "Every requirement is met: a nomination by your manager" in own
    assert nominate not in own  # nobody nominates themself
    assert nominate not in page(client, org.general_manager, reverse("dashboards:rep", args=[org.rep_a.pk]))


def test_the_team_table_lists_todays_members_with_their_verdicts(client, org, plan, way_up_paths):
    table = card(page(client, org.manager_b, reverse("dashboards:team", args=[org.team_b.pk])), "way-up-team")
    assert "The team's way up" in table
    assert org.rep_b.name in table and org.mover.name in table and org.rep_a.name not in table
    assert table.count('data-verdict="not"') == 2 and "Not yet eligible" in table
    team_a = card(page(client, org.manager_a, reverse("dashboards:team", args=[org.team_a.pk])), "way-up-team")
    assert org.rep_a.name in team_a and org.mover.name not in team_a and org.leaver.name not in team_a
    for who in (org.hr, org.director, org.general_manager):
        assert org.rep_a.name in card(page(client, who, reverse("dashboards:team", args=[org.team_a.pk])),
                                      "way-up-team")


def test_a_rep_on_probation_is_told_until_when_and_from_when_time_counts(client, org, plan, way_up_paths):
    newcomer = factories.employee(team=org.team_a, hired=date(2017, 7, 3), probation_end=date(2017, 10, 2))
    way_up = card(page(client, newcomer, reverse("dashboards:mine")))
    assert ("Not yet out of probation: it ends on 2017-10-02, and time in the position counts from 2017-10-03."
            in way_up)
    assert "needs 6 months — met from 2018-04-03" in way_up
    table = card(page(client, org.manager_a, reverse("dashboards:team", args=[org.team_a.pk])), "way-up-team")
    assert "On probation until 2017-10-02" in table


def test_without_a_path_or_at_the_top_the_card_says_so(client, org, plan, way_up_paths):
    from promotions.models import Ladder, Rung

    top = factories.PositionFactory(code="director", name="销售总监", level=40)
    team_services.appointment_record(employee=org.director, position=top, salary_grade=factories.SalaryGradeFactory(),
                                     effective_from=date(2017, 2, 1), reason="任命")
    mine = reverse("dashboards:mine")
    # on no ladder and no step from it: HR has not drawn its path
    assert "No promotion path is set for this position yet (HR sets the paths)." in card(page(client, org.director,
                                                                                              mine))
    Rung.objects.create(ladder=Ladder.objects.create(code="mgr", name="管理序列"), position=top, order=1)
    way_up = card(page(client, org.director, mine, "zh-hans"))
    assert "已是最高职位：本序列中没有更高的职位。" in way_up and "销售总监" in way_up
    paths.path_step_add(from_position=top, to_position=factories.PositionFactory(code="gm", level=50),
                        by=org.hr.user)
    assert "HR has not set the requirements for this step yet." in card(page(client, org.director, mine))


def test_after_a_promotion_takes_effect_the_card_shows_the_new_position_and_the_step_after_it(client, org, plan,
                                                                                             way_up_paths):
    senior = way_up_paths.to_position
    manager = factories.PositionFactory(code="manager", name="销售经理", level=30, is_management=True)
    paths.requirement_add(step=paths.path_step_add(from_position=senior, to_position=manager, by=org.hr.user),
                          valid_from=date(2017, 1, 1), months_in_position=12, by=org.hr.user)
    team_services.appointment_record(employee=org.rep_a, position=senior, salary_grade=factories.SalaryGradeFactory(),
                                     effective_from=date(2017, 8, 1), reason="晋升")
    way_up = card(page(client, org.rep_a, reverse("dashboards:mine")))
    assert "Current position: <strong>高级销售代表</strong>" in way_up and "since 2017-08-01" in way_up
    assert "Next position: 销售经理" in way_up and "needs 12 months — met from 2018-08-01" in way_up
