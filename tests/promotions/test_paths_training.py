"""Paths, requirements and training records through the services, and the attendance import's preview and confirm:
every refusal names its field and changes nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kpis.imports import ImportRefused
from promotions import imports
from promotions.models import Attendance, StepRequirement
from promotions.services import paths, training
from teams.errors import DomainError

from .conftest import course


def _refused(unchanged, field, call, **kwargs) -> DomainError:
    with unchanged(), pytest.raises(DomainError) as refused:
        call(**kwargs)
    assert refused.value.field == field, refused.value.message
    return refused.value


def test_a_requirement_is_added_with_history(org, steps):
    paths.requirement_add(step=steps["senior_rep"], valid_from=date(2018, 1, 1), months_in_position=9,
                          training_hours=24, exam_score=80, by=org.hr.user)
    rows = list(StepRequirement.objects.filter(step=steps["senior_rep"]).values_list("valid_from",
                                                                                    "months_in_position"))
    assert rows == [(date(2018, 1, 1), 9), (date(2017, 1, 1), 6)]


@pytest.mark.parametrize(("field", "kwargs"), [
    ("months_in_position", {"months_in_position": -1}),
    ("training_hours", {"training_hours": -2}),
    ("training_hours", {"training_hours": "abc"}),
    ("exam_score", {"exam_score": 101}),
    ("exam_score", {"exam_score": -1}),
    ("valid_from", {"valid_from": date(2017, 1, 1)}),
])
def test_bad_requirements_are_refused(org, steps, unchanged, field, kwargs):
    options = {"step": steps["senior_rep"], "valid_from": date(2018, 1, 1), "months_in_position": 6,
               "by": org.hr.user, **kwargs}
    _refused(unchanged, field, paths.requirement_add, **options)


def test_only_hr_sets_requirements(org, steps, unchanged):
    _refused(unchanged, "action", paths.requirement_add, step=steps["senior_rep"], valid_from=date(2018, 1, 1),
             months_in_position=6, by=org.director.user)


@pytest.fixture
def session(org):
    return training.session_add(course=course("closing"), title="逼单技巧",
                                held_on=date(2017, 3, 6), hours=6, has_exam=True, by=org.hr.user)


def test_a_training_record_before_the_hire_date_is_refused(org, unchanged):
    early = training.session_add(course=course("culture"), title="企业文化", hours=2,
                                 held_on=date(2015, 12, 1), by=org.hr.user)
    error = _refused(unchanged, "employee", training.attendance_record, session=early, employee=org.rep_a,
                     by=org.hr.user)
    assert "2016-01-04" in error.message


@pytest.mark.parametrize(("field", "kwargs"), [
    ("hours", {"hours": 0}), ("hours", {"hours": 25}), ("hours", {"hours": "x"}), ("title", {"title": " "}),
])
def test_bad_sessions_are_refused(org, unchanged, field, kwargs):
    options = {"course": course("culture"), "title": "企业文化", "hours": 2,
               "held_on": date(2017, 3, 1), "by": org.hr.user, **kwargs}
    _refused(unchanged, field, training.session_add, **options)


@pytest.mark.parametrize("score", [101, -1, "abc"])
def test_an_exam_score_outside_0_to_100_is_refused(org, session, unchanged, score):
    _refused(unchanged, "exam_score", training.attendance_record, session=session, employee=org.rep_a,
             exam_score=score, by=org.hr.user)


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("attendance.csv", text.encode("utf-8"), content_type="text/csv")


def test_the_import_previews_then_writes_every_row(org, session):
    columns, lines = imports.sheet_lines(_csv(f"工号,姓名,考试成绩\n{org.rep_a.employee_number},甲,88\n"
                                              f"{org.rep_b.employee_number},乙,\n"))
    preview = imports.attendance_preview(session=session, lines=lines, columns=columns, by=org.hr.user)
    assert preview.errors == [] and not Attendance.objects.exists()
    assert imports.attendance_import_confirm(session=session, lines=lines, columns=columns, by=org.hr.user) == 2
    assert dict(Attendance.objects.values_list("employee_id", "exam_score")) == {org.rep_a.pk: 88,
                                                                                 org.rep_b.pk: None}


def test_one_bad_row_imports_nothing_and_names_row_and_column(org, session, unchanged):
    columns, lines = imports.sheet_lines(_csv(f"工号,考试成绩\n{org.rep_a.employee_number},88\nX999,70\n"
                                              f"{org.rep_b.employee_number},120\n"))
    with unchanged(), pytest.raises(ImportRefused) as refused:
        imports.attendance_import_confirm(session=session, lines=lines, columns=columns, by=org.hr.user)
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "工号"), (4, "考试成绩")]


def test_a_file_without_the_employee_number_is_refused(org):
    with pytest.raises(DomainError, match="工号"):
        imports.sheet_lines(_csv("姓名,考试成绩\n甲,88\n"))
