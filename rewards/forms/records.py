"""The register's forms: the filters, the proposal and the act on a record (each act posts the version it was
shown). Forms parse; rewards.services.records judges."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisals.forms import ShowsErrors
from promotions.models import PromotionCase
from teams.models import Employee, Team

from ..models import Kind, Method, PeriodKind, RecordState
from ..selectors.records import SORTS, TOTALS_BY, Filters

BLANK = [("", "—")]
SORT_LABELS = {"newest": _("Newest first"), "oldest": _("Oldest first"), "period": _("By period"),
               "amount": _("By amount"), "name": _("By name")}


def month_choices(months: list[date]) -> list[tuple[str, str]]:
    """Return the plan months as choices ("2017-09-01", "2017-09")."""
    return [*BLANK, *((m.isoformat(), m.strftime("%Y-%m")) for m in months)]


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=BLANK + RecordState.choices, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + Kind.choices, required=False)
    method = forms.ChoiceField(label=_("Method"), choices=BLANK + Method.choices, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.none(), required=False)
    period = forms.ChoiceField(label=_("Period"), choices=BLANK + PeriodKind.choices, required=False)
    month = forms.TypedChoiceField(label=_("Month or phase"), choices=BLANK, required=False,
                                   coerce=date.fromisoformat, empty_value=None)
    waiting = forms.BooleanField(label=_("Waiting for me"), required=False)
    review = forms.BooleanField(label=_("Needs review"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=[(k, SORT_LABELS[k]) for k in SORTS], required=False)
    totals = forms.ChoiceField(label=_("Totals by"), choices=[(k, v[0]) for k, v in TOTALS_BY.items()],
                               required=False)

    def __init__(self, *args, teams, employees, months: list[date], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["employee"].queryset = employees
        self.fields["month"].choices = month_choices(months)

    def totals_by(self) -> str:
        """Return how the totals are grouped (an invalid choice: by employee or team)."""
        self.is_valid()
        return self.cleaned_data.get("totals") or "subject"

    def filters(self) -> Filters:
        """Return the filters asked for; an invalid one narrows nothing (a stale bookmark still opens the page)."""
        self.is_valid()
        d = self.cleaned_data  # the valid fields only
        return Filters(state=d.get("state") or "", kind=d.get("kind") or "", method=d.get("method") or "",
                       team_id=d["team"].pk if d.get("team") else None,
                       employee_id=d["employee"].pk if d.get("employee") else None,
                       period=d.get("period") or "", first_month=d.get("month"), waiting=bool(d.get("waiting")),
                       review=bool(d.get("review")), sort=d.get("sort") or "newest")


class ProposeForm(ShowsErrors):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Or a whole team"), queryset=Team.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    amount = forms.IntegerField(label=_("Amount (CNY, cash only)"), required=False)
    reason = forms.CharField(label=_("What for"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.NONE)
    first_month = forms.TypedChoiceField(label=_("Month (a phase: its first month)"), choices=BLANK, required=False,
                                         coerce=date.fromisoformat, empty_value=None)
    promotion_case = forms.ModelChoiceField(label=_("Promotion or demotion case (position only)"),
                                            queryset=PromotionCase.objects.none(), required=False)

    def __init__(self, *args, employees, teams, cases, months: list[date], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.fields["team"].queryset = teams
        self.fields["promotion_case"].queryset = cases
        self.fields["first_month"].choices = month_choices(months)

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {"employee": d["employee"], "team": d["team"], "kind": d["kind"], "method": d["method"],
                "amount": d["amount"], "reason": d["reason"], "period": d["period"],
                "first_month": d["first_month"], "promotion_case": d["promotion_case"]}


class ActForm(ShowsErrors):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def arguments(self) -> dict:
        return {"version": self.cleaned_data["version"], "reason": self.cleaned_data["reason"]}
