"""HR's forms on the paths page: a step up, and a step's requirement from a date. Forms parse; the services in
promotions.services.paths judge (negative months or hours, an exam past 100, a step to the same position, a day
that already has a row), and ShowsErrors puts their refusal on the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisals.forms import ShowsErrors
from appraisals.models import Level
from teams import inputs
from teams.models import Position

from ..models import RatedBy

# A date input's value must be ISO whatever the language (the Chinese input format, 2017/03/06, shows blank).
DATE_INPUT = {"format": "%Y-%m-%d", "attrs": {"type": "date"}}


class StepForm(ShowsErrors):
    from_position = forms.ModelChoiceField(label=_("From the position"), queryset=Position.objects.all())
    to_position = forms.ModelChoiceField(label=_("Up to the position"), queryset=Position.objects.all())

    def arguments(self) -> dict:
        return {"from_position": self.cleaned_data["from_position"], "to_position": self.cleaned_data["to_position"]}


class RequirementForm(ShowsErrors):
    """A new row of a step's requirements, in force from `valid_from` (the rows before it stay as they were)."""

    valid_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(**DATE_INPUT),
                                 validators=[inputs.validate_served_day])
    # No bounds here: the service refuses a negative number with the rule in its words.
    months_in_position = forms.IntegerField(label=_("Months in the position after probation"))
    rating = forms.TypedChoiceField(label=_("Latest rating at least"), coerce=int, initial=Level.EXCELLENT)
    rated_by = forms.ChoiceField(label=_("Rated by"), choices=RatedBy.choices)
    training_hours = forms.CharField(label=_("Training hours (0: none required)"), required=False, max_length=20,
                                     initial="0")
    exam_score = forms.CharField(label=_("Exam score at least (empty: no exam)"), required=False, max_length=20)

    def __init__(self, *args, labels: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [(level, labels[level]) for level in sorted(labels, reverse=True)]

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {"valid_from": d["valid_from"], "months_in_position": d["months_in_position"], "rating": d["rating"],
                "rated_by": d["rated_by"], "training_hours": d["training_hours"] or 0,
                "exam_score": d["exam_score"] or None}
