"""Forms parse the request; the services judge it. A DomainError comes back onto the field it names."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from teams import inputs
from teams.errors import DomainError

from .models import PlanYear
from .services import MONTHS_IN_PLAN, PhaseSpec


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    first_month = forms.CharField(label=_("First month"), widget=forms.TextInput(attrs={"type": "month"}))
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.targets = [(self.data.get(f"target_{i}", "") if self.is_bound else "") for i in range(MONTHS_IN_PLAN)]
        names = self.data.getlist("phase_name") if self.is_bound else []
        counts = self.data.getlist("phase_months") if self.is_bound else []
        self.phase_rows = list(zip(names, counts, strict=False))
        self.target_errors: dict[int, str] = {}

    def clean_first_month(self) -> date:
        try:
            return inputs.month(self.cleaned_data["first_month"])
        except inputs.InputError as error:
            raise forms.ValidationError(error.message) from None

    def phases(self) -> list[PhaseSpec]:
        specs = []
        for i, (name, count) in enumerate(self.phase_rows):
            if not str(count).strip().isdigit() or len(str(count).strip()) > 4:
                raise DomainError(f"Phase {i + 1}: the number of months must be a whole number.",
                                  field=f"phases.{i}.month_count")
            specs.append(PhaseSpec(name, int(count)))
        return specs

    def show(self, error: DomainError) -> None:
        """Put the service's refusal on the field it names."""
        field = error.field or ""
        if field == "version":  # the hidden field would hide it: a stale save is said at the top of the form
            self.add_error(None, error.message)
        elif field.startswith("months."):
            self.target_errors[int(field.split(".")[1])] = error.message
            self.add_error(None, error.message)
        elif field in self.fields:
            self.add_error(field, error.message)
        else:
            self.add_error(None, error.message)


class WeightsForm(forms.Form):
    """Weights keyed `weight_<id>`; blank means "use the default"."""

    def __init__(self, *args, keys: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.keys = keys

    def weights(self) -> dict[int, str]:
        return {k: self.data[f"weight_{k}"].strip() for k in self.keys if self.data.get(f"weight_{k}", "").strip()}


class ProposalForm(forms.Form):
    proposed_target = forms.CharField(label=_("Proposed target (CNY)"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DraftForm(forms.Form):
    """"New plan from last year": the plan to start from, and the new total or a growth percentage."""

    source = forms.ModelChoiceField(label=_("From plan"), queryset=PlanYear.objects.all(), to_field_name="pk")
    total = forms.IntegerField(label=_("New year total (CNY)"), required=False)
    growth = forms.DecimalField(label=_("or growth over last year (%)"), required=False, max_digits=7,
                                decimal_places=2)

    def show(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)
