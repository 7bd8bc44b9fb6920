"""HR's training pages: only HR opens them; the sessions list (newest first, filtered, paginated, with attendee
counts and hours), a new session, a session's attendance, attendees added by hand (a record before the hire date
refused with the rule named, nothing written), the attendance import (a bad row: the preview names row and column
and nothing is written; a clean file: the confirm writes every row), its template, a person's training, and the
queries of the lists at two sizes."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from promotions.models import Attendance, TrainingSession
from promotions.services import training
from promotions.views.training import PAGE_SIZE, PENDING
from tests import factories

from .conftest import course

ROLES = ["director", "general_manager", "hr", "manager_a", "rep_a", "anonymous"]
HR_ONLY = [403, 403, 200, 403, 403, 302]


def _zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


@pytest.fixture
def session(org):
    return training.session_add(course=course("closing"), title="逼单技巧", held_on=date(2017, 3, 6), hours="6",
                                has_exam=True, by=org.hr.user)


def _attend(session, *people, score=None, by):
    for person in people:
        training.attendance_record(session=session, employee=person, exam_score=score, by=by)


@pytest.mark.parametrize("name", ["promotions:training", "promotions:training_new", "promotions:training_person",
                                  "promotions:training_session", "promotions:attendance_template"])
def test_only_hr_opens_the_training_pages(client, org, session, name):
    url = reverse(name, args=[session.pk] if name in ("promotions:training_session",
                                                       "promotions:attendance_template") else [])
    got = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(org.by_role(role).user)
        got[role] = client.get(url).status_code
    assert got == dict(zip(ROLES, HR_ONLY, strict=True))


@pytest.mark.parametrize("name", ["promotions:attendance_add", "promotions:attendance_import",
                                  "promotions:attendance_import_confirm"])
@pytest.mark.parametrize("role", ["director", "general_manager", "manager_a", "rep_a"])
def test_nobody_but_hr_writes_attendance(client, org, session, unchanged, name, role):
    client.force_login(org.by_role(role).user)
    culture = course("culture")  # before the snapshot: after another file's flush the migration's row is made here
    with unchanged():
        assert client.post(reverse(name, args=[session.pk]), {"employee_0": org.rep_a.pk}).status_code == 403
    with unchanged():
        assert client.post(reverse("promotions:training_new"), {
            "course": culture.pk, "title": "文化", "held_on": "2017-03-01", "hours": "2"}).status_code == 403


# --- the sessions list ------------------------------------------------------------------------------------------

def test_the_sessions_list_is_newest_first_with_attendee_count_and_hours(client, org, session):
    later = training.session_add(course=course("culture"), title="企业文化", held_on=date(2017, 5, 2), hours="1.5",
                                 by=org.hr.user)
    _attend(later, org.rep_a, org.rep_b, by=org.hr.user)
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:training"))
    rows = page.context["page"].object_list
    assert [(s.title, s.attendees, s.person_hours) for s in rows] == [("企业文化", 2, 3), ("逼单技巧", 0, 0)]
    assert f'data-session="{later.pk}"' in page.content.decode()


def test_the_sessions_list_filters_by_course_type_and_year(client, org, session):
    training.session_add(course=course("culture"), title="企业文化", held_on=date(2016, 5, 2), hours=2, by=org.hr.user)
    client.force_login(org.hr.user)
    by_course = client.get(reverse("promotions:training"), {"course": "closing"}).context["page"].object_list
    assert [s.title for s in by_course] == ["逼单技巧"]
    page = client.get(reverse("promotions:training"), {"year": "2016"})
    assert [s.title for s in page.context["page"].object_list] == ["企业文化"]
    assert page.context["years"] == [2017, 2016]
    empty = client.get(reverse("promotions:training"), {"course": "closing", "year": "2016"})
    assert list(empty.context["page"].object_list) == [] and 'class="empty"' in empty.content.decode()


def test_without_sessions_the_list_says_how_to_start(client, org):
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:training"))
    assert reverse("promotions:training_new") in page.content.decode() and 'class="empty"' in page.content.decode()


def test_the_sessions_list_is_paginated(client, org):
    for n in range(PAGE_SIZE + 1):
        training.session_add(course=course("product"), title=f"产品{n}", held_on=date(2017, 3, 1), hours=1,
                             by=org.hr.user)
    client.force_login(org.hr.user)
    first = client.get(reverse("promotions:training")).context["page"]
    second = client.get(reverse("promotions:training"), {"page": 2}).context["page"]
    assert len(first.object_list) == PAGE_SIZE and len(second.object_list) == 1


@pytest.mark.parametrize("size", [2, 8])
def test_the_sessions_list_costs_the_same_queries_at_any_size(client, org, django_assert_num_queries, size):
    for n in range(size):
        held = training.session_add(course=course("phone_sales"), title=f"电话销售{n}", held_on=date(2017, 4, 1 + n),
                                    hours=2, by=org.hr.user)
        _attend(held, org.rep_a, org.rep_b, by=org.hr.user)
    client.force_login(org.hr.user)
    # session, user, principal; the page's count and rows (joined, counted); the course types, the years, the
    # people for the chooser; the header's unread notices
    with django_assert_num_queries(9):
        page = client.get(reverse("promotions:training"))
    assert len(page.context["page"].object_list) == size


# --- a new session ----------------------------------------------------------------------------------------------

def test_hr_records_a_session_and_lands_on_its_page(client, org):
    client.force_login(org.hr.user)
    response = client.post(reverse("promotions:training_new"), {
        "course": course("culture").pk, "title": "企业文化", "held_on": "2017-03-01", "hours": "2.5",
        "has_exam": "on"})
    added = TrainingSession.objects.get()
    assert response.status_code == 302 and response.url == reverse("promotions:training_session", args=[added.pk])
    assert (added.hours, added.has_exam, added.recorded_by) == (2.5, True, org.hr.user)


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("hours", "0", "A session lasts more than 0 and at most 24 hours."),
    ("hours", "25", "A session lasts more than 0 and at most 24 hours."),
    ("hours", "两个", "A session lasts more than 0 and at most 24 hours."),
    ("title", "逼单技巧", "This session is already recorded."),
])
def test_a_bad_session_is_refused_on_its_field_and_nothing_is_written(client, org, session, unchanged, field, typed,
                                                                      message):
    data = {"course": session.course.pk, "title": "新课", "held_on": "2017-03-06", "hours": "2", field: typed}
    client.force_login(org.hr.user)
    with unchanged():
        page = client.post(reverse("promotions:training_new"), data)
    assert page.status_code == 200 and page.context["form"].errors[field] == [_zh(message)]


def test_a_session_without_a_title_or_date_is_refused_by_the_form(client, org, unchanged):
    client.force_login(org.hr.user)
    culture = course("culture")  # before the snapshot (see above)
    with unchanged():
        page = client.post(reverse("promotions:training_new"), {"course": culture.pk, "hours": "2"})
    assert set(page.context["form"].errors) == {"title", "held_on"}


# --- a session's page and attendees added by hand ---------------------------------------------------------------

def test_the_session_page_lists_each_attendee_with_team_number_score_and_hours(client, org, session):
    earlier = training.session_add(course=course("closing"), title="逼单入门", held_on=date(2017, 2, 6), hours=2,
                                   by=org.hr.user)
    _attend(earlier, org.rep_a, by=org.hr.user)
    _attend(session, org.rep_a, score="88", by=org.hr.user)
    _attend(session, org.mover, by=org.hr.user)  # in team A on the session's day, team B since June
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:training_session", args=[session.pk]))
    lines = {a.attendance.employee_id: a for a in page.context["attendees"]}
    assert (lines[org.rep_a.pk].team_name, lines[org.rep_a.pk].attendance.exam_score) == ("先锋队", 88)
    assert (lines[org.rep_a.pk].course_hours, lines[org.rep_a.pk].total_hours) == (8, 8)
    assert lines[org.mover.pk].team_name == "先锋队" and lines[org.mover.pk].attendance.exam_score is None
    html = page.content.decode()
    assert org.rep_a.employee_number in html and f"?employee={org.rep_a.pk}" in html


@pytest.mark.parametrize("size", [2, 10])
def test_a_session_page_with_many_attendees_costs_the_same_queries(client, org, session, django_assert_num_queries,
                                                                   size):
    people = [factories.employee(team=org.team_a) for _ in range(size)]
    _attend(session, *people, score=70, by=org.hr.user)
    client.force_login(org.hr.user)
    # session, user, principal; the session (joined); its attendance (teams on the day joined), their hours; the
    # people for the add-attendees form; the header's unread notices
    with django_assert_num_queries(8):
        page = client.get(reverse("promotions:training_session", args=[session.pk]))
    assert len(page.context["attendees"]) == size


def test_hr_adds_attendees_with_their_scores(client, org, session):
    client.force_login(org.hr.user)
    response = client.post(reverse("promotions:attendance_add", args=[session.pk]), {
        "employee_0": org.rep_a.pk, "exam_score_0": "９０", "employee_2": org.rep_b.pk, "exam_score_2": ""})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("employee_id", "exam_score")) == {org.rep_a.pk: 90, org.rep_b.pk: None}


def test_a_record_before_the_hire_date_is_refused_naming_the_rule_and_nothing_is_written(client, org, unchanged):
    early = training.session_add(course=course("culture"), title="企业文化", held_on=date(2015, 12, 1), hours=2,
                                 by=org.hr.user)
    newcomer = factories.employee(team=org.team_a, hired=date(2014, 1, 1))
    client.force_login(org.hr.user)
    with unchanged():
        page = client.post(reverse("promotions:attendance_add", args=[early.pk]), {
            "employee_0": newcomer.pk, "employee_1": org.rep_a.pk})
    assert page.status_code == 200
    errors = page.context["attendees_form"].errors
    assert set(errors) == {"employee_1"}  # the good row is kept as typed, the bad one says why
    assert "2016-01-04" in errors["employee_1"][0] and "2015-12-01" in errors["employee_1"][0]


@pytest.mark.parametrize(("typed", "field"), [("101", "exam_score_0"), ("-1", "exam_score_0"), ("优", "exam_score_0")])
def test_a_bad_exam_score_is_refused_on_its_row(client, org, session, unchanged, typed, field):
    client.force_login(org.hr.user)
    with unchanged():
        page = client.post(reverse("promotions:attendance_add", args=[session.pk]), {
            "employee_0": org.rep_a.pk, "exam_score_0": typed})
    assert list(page.context["attendees_form"].errors) == [field]


def test_the_same_person_twice_and_an_empty_form_are_refused(client, org, session, unchanged):
    client.force_login(org.hr.user)
    with unchanged():
        twice = client.post(reverse("promotions:attendance_add", args=[session.pk]), {
            "employee_0": org.rep_a.pk, "employee_3": org.rep_a.pk})
        empty = client.post(reverse("promotions:attendance_add", args=[session.pk]), {})
    assert list(twice.context["attendees_form"].errors) == ["employee_3"]
    assert empty.context["attendees_form"].non_field_errors() == [_zh("Choose at least one employee.")]


def test_a_session_without_an_exam_asks_for_no_score(client, org):
    plain = training.session_add(course=course("culture"), title="企业文化", held_on=date(2017, 3, 1), hours=2,
                                 by=org.hr.user)
    client.force_login(org.hr.user)
    form = client.get(reverse("promotions:training_session", args=[plain.pk])).context["attendees_form"]
    assert not any(name.startswith("exam_score") for name in form.fields)


def test_a_session_that_does_not_exist_is_404(client, org):
    client.force_login(org.hr.user)
    assert client.get(reverse("promotions:training_session", args=[2**31])).status_code == 404
    assert client.get(reverse("promotions:training_session", args=[424242])).status_code == 404


# --- the import -------------------------------------------------------------------------------------------------

def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("attendance.csv", text.encode("utf-8"), content_type="text/csv")


def test_a_bad_row_shows_in_the_preview_by_row_and_column_and_nothing_is_written(client, org, session, unchanged):
    client.force_login(org.hr.user)
    sheet = f"工号,姓名,考试成绩\n{org.rep_a.employee_number},甲,88\nX999,谁,70\n{org.rep_b.employee_number},乙,120\n"
    with unchanged():
        page = client.post(reverse("promotions:attendance_import", args=[session.pk]), {"file": _csv(sheet)})
    assert page.status_code == 200
    preview = page.context["preview"]
    assert [(r.line.row, [(e.row, e.column) for e in r.errors]) for r in preview.rows] == [
        (2, []), (3, [(3, "工号")]), (4, [(4, "考试成绩")])]
    assert page.context["token"] is None and PENDING not in client.session
    html = page.content.decode()
    assert 'data-row="3"' in html and reverse("promotions:attendance_import_confirm", args=[session.pk]) not in html


def test_a_clean_file_previews_then_the_confirm_writes_every_row(client, org, session):
    _attend(session, org.rep_b, score=50, by=org.hr.user)
    client.force_login(org.hr.user)
    sheet = f"工号,姓名,考试成绩\n{org.rep_a.employee_number},甲,88\n{org.rep_b.employee_number},乙,91.5\n"
    page = client.post(reverse("promotions:attendance_import", args=[session.pk]), {"file": _csv(sheet)})
    assert page.context["preview"].errors == [] and Attendance.objects.count() == 1
    assert page.context["recorded"] == {org.rep_b.pk}  # the preview says rep B's score is updated
    response = client.post(reverse("promotions:attendance_import_confirm", args=[session.pk]),
                           {"token": page.context["token"]})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("employee_id", "exam_score")) == {org.rep_a.pk: 88,
                                                                                 org.rep_b.pk: 91.5}


def test_a_confirm_without_its_preview_or_for_another_session_writes_nothing(client, org, session, unchanged):
    other = training.session_add(course=course("culture"), title="企业文化", held_on=date(2017, 3, 1), hours=2,
                                 by=org.hr.user)
    client.force_login(org.hr.user)
    page = client.post(reverse("promotions:attendance_import", args=[session.pk]),
                       {"file": _csv(f"工号\n{org.rep_a.employee_number}\n")})
    with unchanged():
        assert client.post(reverse("promotions:attendance_import_confirm", args=[other.pk]),
                           {"token": page.context["token"]}).status_code == 302
        assert client.post(reverse("promotions:attendance_import_confirm", args=[session.pk]),
                           {"token": "stale"}).status_code == 302


def test_a_confirm_refused_meanwhile_writes_nothing_and_names_the_row(client, org, session, unchanged):
    client.force_login(org.hr.user)
    sheet = f"工号,考试成绩\n{org.rep_a.employee_number},88\n{org.rep_b.employee_number},70\n"
    page = client.post(reverse("promotions:attendance_import", args=[session.pk]), {"file": _csv(sheet)})
    session.has_exam = False  # someone changed the session after the preview: the scores no longer fit
    session.save(update_fields=["has_exam"])
    with unchanged():
        refused = client.post(reverse("promotions:attendance_import_confirm", args=[session.pk]),
                              {"token": page.context["token"]})
    assert refused.status_code == 200 and [(e.row, e.column) for e in refused.context["refused"].errors] == [
        (2, "考试成绩"), (3, "考试成绩")]


def test_a_file_without_the_employee_number_is_refused_on_the_file_field(client, org, session, unchanged):
    client.force_login(org.hr.user)
    with unchanged():
        page = client.post(reverse("promotions:attendance_import", args=[session.pk]), {"file": _csv("姓名\n甲\n")})
    assert page.status_code == 200 and "工号" in page.context["file_form"].errors["file"][0]


def test_the_template_is_an_xlsx_with_the_header_row(client, org, session):
    client.force_login(org.hr.user)
    response = client.get(reverse("promotions:attendance_template", args=[session.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in next(sheet.iter_rows())] == ["工号", "姓名", "考试成绩"]


# --- a person's training ----------------------------------------------------------------------------------------

def test_a_persons_training_shows_hours_per_course_type_and_exam_scores(client, org, session):
    culture = training.session_add(course=course("culture"), title="企业文化", held_on=date(2017, 5, 2), hours=2,
                                   by=org.hr.user)
    later = training.session_add(course=course("culture"), title="企业文化二", held_on=date(2017, 12, 1), hours=3,
                                 by=org.hr.user)  # after today (2017-08-15): not counted yet
    _attend(session, org.rep_a, score="88", by=org.hr.user)
    _attend(culture, org.rep_a, by=org.hr.user)
    _attend(later, org.rep_a, by=org.hr.user)
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:training_person"), {"employee": org.rep_a.pk})
    found = page.context["training"]
    hours = {c.course.code: (c.sessions, c.hours, c.best_score) for c in found.by_course if c.sessions}
    assert hours == {"closing": (1, 6, 88), "culture": (1, 2, None)}
    assert found.total_hours == 8 and len(found.attended) == 3


def test_a_persons_training_page_without_a_choice_or_for_nobody(client, org):
    client.force_login(org.hr.user)
    assert client.get(reverse("promotions:training_person")).context["training"] is None
    assert client.get(reverse("promotions:training_person"), {"employee": "x"}).status_code == 404
    assert client.get(reverse("promotions:training_person"), {"employee": 2**40}).status_code == 404


# --- navigation -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "expected"), [
    ("hr", ["promotions:paths", "promotions:training"]), ("director", ["promotions:paths"]),
    ("general_manager", ["promotions:paths"]), ("manager_a", []), ("rep_a", []),
])
def test_the_header_links_to_paths_and_training_for_who_may_open_them(client, org, role, expected):
    client.force_login(org.by_role(role).user)
    urls = {url for _, url in client.get(reverse("teams:me")).context["nav_links"]}
    assert [name for name in ("promotions:paths", "promotions:training") if reverse(name) in urls] == expected


# --- the admin: ladders and course types are set up there; what the services write is only listed ---------------

@pytest.mark.parametrize(("model", "may_add"), [("ladder", True), ("coursetype", True), ("pathstep", False),
                                                ("steprequirement", False), ("trainingsession", False),
                                                ("attendance", False)])
def test_the_admin_lists_paths_and_training_and_adds_only_ladders_and_course_types(admin_client, org, session,
                                                                                   model, may_add):
    assert admin_client.get(reverse(f"admin:promotions_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:promotions_{model}_add")).status_code == (200 if may_add else 403)
