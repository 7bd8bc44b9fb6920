"""The paths page: who opens it (HR edits, the director and the general manager read, nobody else), each ladder in
order with each step's requirement in force and its history, HR's forms refusing bad input on the field with
nothing written, and its queries at two sizes."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from promotions.models import Ladder, PathStep, Rung, StepRequirement
from promotions.services import paths
from tests import factories

ROLES = ["director", "general_manager", "hr", "manager_a", "rep_a", "anonymous"]


def _login(client, org, role: str) -> None:
    if role != "anonymous":
        client.force_login(org.by_role(role).user)


def _zh(message: str) -> str:
    """Return the service's message as the Chinese page shows it."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


@pytest.fixture
def ladders(org, positions, steps):
    """The rep ladder (销售代表 → 高级销售代表) and the manager ladder (销售经理), as the demo has them."""
    reps = Ladder.objects.create(code="rep", name="销售序列")
    managers = Ladder.objects.create(code="mgr", name="管理序列")
    Rung.objects.create(ladder=reps, position=positions["rep"], order=1)
    Rung.objects.create(ladder=reps, position=positions["senior_rep"], order=2)
    Rung.objects.create(ladder=managers, position=positions["manager"], order=1)
    return {"rep": reps, "mgr": managers}


def _requirement(step, org, **fields):
    values = {"months_in_position": 6, "by": org.hr.user, **fields}
    return paths.requirement_add(step=step, **values)


@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, [200, 200, 200, 403, 403, 302], strict=True)))
def test_the_paths_page_opens_for_hr_the_director_and_the_gm_only(client, org, ladders, role, status):
    _login(client, org, role)
    assert client.get(reverse("promotions:paths")).status_code == status


def test_each_ladder_shows_its_positions_in_order_and_each_step_its_requirement_in_force_and_history(
        client, org, ladders, steps):
    # AS_OF_DATE is 2017-08-15 (tests/promotions/conftest.py): June's row is in force, January's replaced, 2018's later
    _requirement(steps["senior_rep"], org, valid_from=date(2017, 6, 1), months_in_position=9, training_hours=24,
                 exam_score=80)
    _requirement(steps["senior_rep"], org, valid_from=date(2018, 1, 1), months_in_position=12)
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:paths"))
    rep_ladder, manager_ladder = page.context["ladders"]
    assert [p.code for p in rep_ladder.positions] == ["rep", "senior_rep"]
    assert [(v.step.from_position.code, v.step.to_position.code) for v in rep_ladder.steps] == [
        ("rep", "senior_rep"), ("senior_rep", "manager")]
    up, to_manager = rep_ladder.steps
    assert up.in_force.valid_from == date(2017, 6, 1)
    assert [r.valid_from for r in up.history] == [date(2018, 1, 1), date(2017, 6, 1), date(2017, 1, 1)]
    assert to_manager.switches_ladder and not up.switches_ladder
    assert manager_ladder.steps == []
    html = page.content.decode()
    assert "优秀（部门经理评定）" in html and "优秀（销售总监评定）" in html
    assert org.hr.name in html and "2018-01-01" in html


def test_a_step_without_a_requirement_in_force_says_only_a_special_approval_reaches_it(client, org, ladders, positions):
    later = paths.path_step_add(from_position=positions["manager"], to_position=factories.PositionFactory(
        code="director_pos", name="销售总监", level=40), by=org.hr.user)
    _requirement(later, org, valid_from=date(2018, 1, 1), months_in_position=12, rated_by="director")
    client.force_login(org.general_manager.user)
    page = client.get(reverse("promotions:paths"))
    view = page.context["ladders"][1].steps[0]
    assert view.in_force is None and len(view.history) == 1
    assert "特批" in page.content.decode()


def test_the_director_reads_the_paths_without_hrs_forms(client, org, ladders, steps):
    client.force_login(org.director.user)
    page = client.get(reverse("promotions:paths"))
    html = page.content.decode()
    assert page.context["requirement_forms"] == {} and page.context["step_form"] is None
    assert reverse("promotions:requirement_add", args=[steps["senior_rep"].pk]) not in html
    assert reverse("promotions:path_step_add") not in html


def test_hr_adds_a_requirement_from_a_date_and_the_earlier_rows_stay(client, org, ladders, steps):
    step = steps["senior_rep"]
    client.force_login(org.hr.user)
    response = client.post(reverse("promotions:requirement_add", args=[step.pk]), {
        f"step{step.pk}-valid_from": "2017-09-01", f"step{step.pk}-months_in_position": "8",
        f"step{step.pk}-rating": "5", f"step{step.pk}-rated_by": "manager",
        f"step{step.pk}-training_hours": "１２", f"step{step.pk}-exam_score": "75.5"})
    assert response.status_code == 302 and response.url == reverse("promotions:paths") + f"#step-{step.pk}"
    rows = list(StepRequirement.objects.filter(step=step).values_list(
        "valid_from", "months_in_position", "training_hours", "exam_score", "changed_by"))
    assert rows == [(date(2017, 9, 1), 8, 12, 75.5, org.hr.user.pk), (date(2017, 1, 1), 6, 0, None, org.hr.user.pk)]


def test_the_requirement_form_starts_from_the_row_in_force(client, org, ladders, steps):
    client.force_login(org.hr.user)
    form = client.get(reverse("promotions:paths")).context["requirement_forms"][steps["manager"].pk]
    assert form.initial["months_in_position"] == 12 and form.initial["rated_by"] == "director"


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("months_in_position", "-1", "Months in the position cannot be negative."),
    ("training_hours", "-2", "Training hours cannot be negative (at most 9999)."),
    ("training_hours", "很多", "Training hours cannot be negative (at most 9999)."),
    ("exam_score", "101", "An exam score is between 0 and 100."),
    ("exam_score", "-5", "An exam score is between 0 and 100."),
    ("valid_from", "2017-01-01", "A requirement already takes effect on %(day)s; add the change on another date."),
])
def test_a_bad_requirement_is_refused_on_its_field_and_nothing_is_written(
        client, org, ladders, steps, unchanged, field, typed, message):
    step = steps["senior_rep"]
    data = {"valid_from": "2017-09-01", "months_in_position": "6", "rating": "5", "rated_by": "manager",
            "training_hours": "0", "exam_score": "", field: typed}
    client.force_login(org.hr.user)
    with unchanged():
        page = client.post(reverse("promotions:requirement_add", args=[step.pk]),
                           {f"step{step.pk}-{k}": v for k, v in data.items()})
    assert page.status_code == 200
    form = page.context["requirement_forms"][step.pk]
    assert form.errors[field] == [_zh(message) % {"day": "2017-01-01"}]
    assert page.context["failed_step"] == step.pk  # its form is the one shown open, with the typed values
    assert f'id="step-{step.pk}"' in page.content.decode()


def test_a_step_from_a_position_to_itself_is_refused_on_its_field(client, org, ladders, positions, unchanged):
    client.force_login(org.hr.user)
    with unchanged():
        page = client.post(reverse("promotions:path_step_add"), {
            "new_step-from_position": positions["manager"].pk, "new_step-to_position": positions["manager"].pk})
    assert page.status_code == 200
    assert page.context["step_form"].errors["to_position"] == [_zh("A step up leads to another position.")]


def test_hr_adds_a_step_up(client, org, ladders, positions):
    director = factories.PositionFactory(code="director_pos", name="销售总监", level=40)
    client.force_login(org.hr.user)
    response = client.post(reverse("promotions:path_step_add"), {
        "new_step-from_position": positions["manager"].pk, "new_step-to_position": director.pk})
    step = PathStep.objects.get(from_position=positions["manager"])
    assert response.status_code == 302 and response.url.endswith(f"#step-{step.pk}")
    page = client.get(reverse("promotions:paths"))
    assert [v.step for v in page.context["ladders"][1].steps] == [step]


@pytest.mark.parametrize("role", ["director", "general_manager", "manager_a", "rep_a"])
def test_only_hr_adds_steps_and_requirements(client, org, ladders, steps, positions, unchanged, role):
    step = steps["senior_rep"]
    client.force_login(org.by_role(role).user)
    with unchanged():
        assert client.post(reverse("promotions:requirement_add", args=[step.pk]), {
            f"step{step.pk}-valid_from": "2017-09-01", f"step{step.pk}-months_in_position": "6",
            f"step{step.pk}-rating": "5", f"step{step.pk}-rated_by": "manager"}).status_code == 403
        assert client.post(reverse("promotions:path_step_add"), {
            "new_step-from_position": positions["rep"].pk,
            "new_step-to_position": positions["manager"].pk}).status_code == 403


def test_a_requirement_for_a_step_that_does_not_exist_is_404(client, org, ladders):
    client.force_login(org.hr.user)
    assert client.post(reverse("promotions:requirement_add", args=[2**31])).status_code == 404
    assert client.post(reverse("promotions:requirement_add", args=[999_999])).status_code == 404


def test_without_ladders_or_steps_the_page_says_so(client, org):
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:paths"))
    assert page.context["ladders"] == [] and "还没有" in page.content.decode()


@pytest.mark.parametrize("extra_rows", [0, 4])
def test_the_paths_page_costs_the_same_queries_at_any_size(client, org, ladders, steps, positions,
                                                           django_assert_num_queries, extra_rows):
    for n in range(extra_rows):
        _requirement(steps["senior_rep"], org, valid_from=date(2017, 2 + n, 1))
        _requirement(steps["manager"], org, valid_from=date(2017, 2 + n, 1), rated_by="director")
    for n in range(extra_rows):  # more steps up, from positions on no ladder
        step = paths.path_step_add(from_position=factories.PositionFactory(code=f"extra{n}", level=50 + n),
                                   to_position=positions["manager"], by=org.hr.user)
        _requirement(step, org, valid_from=date(2017, 1, 1))
    client.force_login(org.hr.user)
    # session, user, principal; ladders, their rungs, the steps, their requirements; HR's rating labels; the
    # positions of the add-a-step form (from, to); the header's unread notices
    with django_assert_num_queries(11):
        page = client.get(reverse("promotions:paths"))
    assert sum(len(v.history) for ladder in page.context["ladders"] for v in ladder.steps) == 2 + 3 * extra_rows
