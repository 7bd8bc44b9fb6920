"""The reserve pool's rule as HR types it: N and M parsed by the service (teams.inputs), and the stamp of the rule
the page showed, so a save over another HR's newer change is refused."""

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisals.forms import ShowsErrors


def _count(label) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                                     "size": 4}))


class PoolRuleForm(ShowsErrors):
    excellent_in = _count(_("Excellent in at least"))
    cycles = _count(_("Of the last cycles"))
    version = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {"excellent_in": d["excellent_in"], "cycles": d["cycles"], "version": d["version"]}
