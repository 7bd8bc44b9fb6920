"""HR's training forms: a new session, attendees added by hand (a few rows: a whole class comes by the import), and
the attendance file. Forms parse; promotions.services.training judges (hours, a record before the hire date, a
score past 100 or for a session without an exam)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisals.forms import ShowsErrors
from teams import inputs
from teams.models import Employee

from ..models import CourseType
from .paths import DATE_INPUT

ATTENDEE_ROWS = 8


class SessionForm(ShowsErrors):
    course = forms.ModelChoiceField(label=_("Course type"), queryset=CourseType.objects.all())
    title = forms.CharField(label=_("Title"), max_length=100)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(**DATE_INPUT),
                              validators=[inputs.validate_served_day])
    hours = forms.CharField(label=_("Hours"), max_length=20)  # the service parses it (full-width digits too)
    has_exam = forms.BooleanField(label=_("With an exam"), required=False)

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {"course": d["course"], "title": d["title"], "held_on": d["held_on"], "hours": d["hours"],
                "has_exam": d["has_exam"]}


class AttendeesForm(ShowsErrors):
    """Up to ATTENDEE_ROWS people, each with their exam score when the session had an exam; blank rows are
    skipped. The choices are built once and shared by the rows, so the page costs one query for them."""

    def __init__(self, *args, people: list[tuple[int, str]], with_exam: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.with_exam = with_exam
        choices = [("", "—"), *people]
        for n in range(ATTENDEE_ROWS):
            self.fields[f"employee_{n}"] = forms.TypedChoiceField(label=_("Employee"), choices=choices, coerce=int,
                                                                  required=False, empty_value=None)
            if with_exam:
                self.fields[f"exam_score_{n}"] = forms.CharField(label=_("Exam score"), required=False,
                                                                 max_length=20)

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        return [(self[f"employee_{n}"], self[f"exam_score_{n}"] if self.with_exam else None)
                for n in range(ATTENDEE_ROWS)]

    def filled(self) -> list[tuple[int, int, str]]:
        """Return (row, employee id, typed score) for each row with someone chosen."""
        d = self.cleaned_data
        return [(n, d[f"employee_{n}"], d.get(f"exam_score_{n}", "")) for n in range(ATTENDEE_ROWS)
                if d.get(f"employee_{n}")]

    def arguments(self) -> dict:
        """Return attendance_add's keyword arguments (one query for the people chosen)."""
        filled = self.filled()
        self.row_of = [n for n, _pk, _score in filled]  # the service's row index -> this form's row
        people = Employee.objects.in_bulk([pk for _n, pk, _score in filled])
        return {"rows": [(people[pk], score) for _n, pk, score in filled]}

    def show_rows(self, errors: list[tuple[int, str, str]]) -> None:
        """Put each refused row's message on its own input."""
        for index, field, message in errors:
            n = self.row_of[index]
            self.add_error(f"{field}_{n}" if f"{field}_{n}" in self.fields else f"employee_{n}", message)


class AttendanceFileForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
