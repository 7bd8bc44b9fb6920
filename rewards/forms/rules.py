"""The reward rule's form and the run form. Forms parse; rewards.services.rules judges (a refusal is put on the
field it names)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisals.forms import ShowsErrors
from kpis.metrics import REGISTRY

from ..models import Comparison, Kind, Method, PeriodKind, Rule, Scope


def _metric_choices() -> list[tuple[str, str]]:
    return [("", _("— none (bottom list, referral) —"))] + [(m.code, m.label) for m in REGISTRY]


class RuleForm(ShowsErrors):
    code = forms.CharField(label=_("Code"), max_length=40, required=False,
                           help_text=_("Letters, digits, - and _; it names the rule's proposals and cannot change."))
    name = forms.CharField(label=_("Name"), max_length=100)
    comparison = forms.ChoiceField(label=_("Comparison"), choices=Comparison.choices)
    metric = forms.ChoiceField(label=_("Metric"), choices=_metric_choices, required=False)
    threshold = forms.CharField(label=_("Threshold"), required=False, max_length=30, help_text=_(
        "In the metric's unit: a percent for rates and attainment (120 = 120 %), yuan for amounts, places for the "
        "top (1 = the first), months for a referral; empty for the bottom list."))
    period = forms.ChoiceField(label=_("Period"), choices=[(PeriodKind.MONTH, _("Month")),
                                                           (PeriodKind.PHASE, _("Phase"))])
    scope = forms.ChoiceField(label=_("For"), choices=Scope.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    method = forms.ChoiceField(label=_("Method"), choices=[(Method.NOTICE, Method.NOTICE.label),
                                                           (Method.CASH, Method.CASH.label)])
    amount = forms.IntegerField(label=_("Amount (CNY, cash only)"), required=False, min_value=0)
    text_template = forms.CharField(label=_("Text"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("The proposal's reason; {name}, {period}, {value} and {rank} are "
                                                "filled in."))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, rule: Rule | None = None, **kwargs) -> None:
        if rule is not None and not kwargs.get("data") and not (args and args[0]):
            kwargs["initial"] = {**{f: getattr(rule, f) for f in (
                "code", "name", "comparison", "metric", "period", "scope", "kind", "method", "amount",
                "text_template", "active", "version")}, "threshold": "" if rule.threshold is None else
                f"{rule.threshold.normalize():f}"}
        super().__init__(*args, **kwargs)
        if rule is not None:
            self.fields["code"].disabled = True

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {field: d[field] for field in ("name", "comparison", "metric", "threshold", "period", "scope",
                                              "kind", "method", "amount", "text_template", "active")}


class RulesRunForm(ShowsErrors):
    month = forms.DateField(label=_("Closed month"), input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
