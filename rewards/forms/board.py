"""The notice board's forms: an announcement, an act on a notice, publishing a ranking. Forms parse; the services
judge (a refusal is put on the field it names)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisals.forms import ShowsErrors

from ..models import Notice, PeriodKind
from ..services.notices import BODY_LIMIT

NOTICE_ACTS = ("pin", "unpin", "withdraw")


class NoticeForm(ShowsErrors):
    title = forms.CharField(label=_("Title"), max_length=Notice._meta.get_field("title").max_length)
    body = forms.CharField(label=_("Text"), required=False, max_length=BODY_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 6}))
    pinned = forms.BooleanField(label=_("Pin to the top of the board"), required=False)
    expires_on = forms.DateField(label=_("Expires on (blank: never)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {"title": d["title"], "body": d["body"], "pinned": d["pinned"], "expires_on": d["expires_on"]}


class NoticeActForm(ShowsErrors):
    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(a, a) for a in NOTICE_ACTS], widget=forms.HiddenInput)


class RankingPublishForm(ShowsErrors):
    period = forms.ChoiceField(label=_("Period"), choices=[(PeriodKind.MONTH, _("Month")),
                                                           (PeriodKind.PHASE, _("Phase"))])
    first_month = forms.DateField(label=_("First month"), widget=forms.HiddenInput)
    show_amounts = forms.BooleanField(label=_("Show the deposits"), required=False)

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {"period": d["period"], "first_month": d["first_month"], "show_amounts": d["show_amounts"]}


class RankingWithdrawForm(ShowsErrors):
    version = forms.IntegerField(widget=forms.HiddenInput)
