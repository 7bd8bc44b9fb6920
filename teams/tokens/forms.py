"""The token page's form: a name and how long the token lives."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LIFETIMES = [("", _("Never expires")), ("30", _("30 days")), ("90", _("90 days")), ("365", _("One year"))]


class TokenForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("API token", "Name"),  # a thing's name, not a person's (姓名)
                           max_length=100,
                           help_text=_("Which script or tool uses it, e.g. “BI dashboard”."))
    lifetime = forms.ChoiceField(label=_("Expires"), choices=LIFETIMES, required=False)

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data["lifetime"]
        return timezone.now() + timedelta(days=int(days)) if days else None
