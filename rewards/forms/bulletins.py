"""The weekly bulletins' forms: the manager's bulletin, a comment (an annotation or a reply), a rep's week line and
the director's week picker. Forms parse; the services judge (a refusal is put on the field it names)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisals.forms import ShowsErrors

from ..services.bulletins import LINE_LIMIT, TEXT_LIMIT


def _area(label, limit: int, rows: int = 4, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=limit, strip=True,
                           widget=forms.Textarea(attrs={"rows": rows}))


class BulletinForm(ShowsErrors):
    went_well = _area(_("What went well"), TEXT_LIMIT)
    hard = _area(_("What is hard"), TEXT_LIMIT)
    help_needed = _area(_("What help the team needs"), TEXT_LIMIT)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {"went_well": d["went_well"], "hard": d["hard"], "help_needed": d["help_needed"],
                "version": d["version"]}


class CommentForm(ShowsErrors):
    text = _area(_("Text"), TEXT_LIMIT, rows=3, required=True)


class WeekLineForm(ShowsErrors):
    text = _area(_("Your line on the week"), LINE_LIMIT, rows=3, required=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class WeekPickForm(forms.Form):
    week = forms.DateField(label=_("Week of"), widget=forms.DateInput(attrs={"type": "date"}))
