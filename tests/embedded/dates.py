"""Run by tests/test_embedded_default.py in a subprocess on the embedded default (SQLite, eager Celery).

Prints the first and the last moment of every timestamp column the demo wrote (as "label.field first last", in the
organisation's time zone), and when the rollups were computed, so the test can check the demo's dating on SQLite.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesops.settings.local")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db.models import Count, DateTimeField, Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402

from kpis.models import WeeklyFigures  # noqa: E402
from kpis.results.models import RollupMonth  # noqa: E402

for model in apps.get_models():
    for field in model._meta.concrete_fields:
        if isinstance(field, DateTimeField):
            span = model.objects.aggregate(n=Count(field.name), first=Min(field.name), last=Max(field.name))
            if span["n"]:
                first, last = (timezone.localtime(span[k]).isoformat(timespec="minutes") for k in ("first", "last"))
                print(f"{model._meta.label}.{field.name}", first, last)
last_entry = WeeklyFigures.objects.aggregate(last=Max("entered_at"))["last"]
pending = [m for m in RollupMonth.objects.all() if m.pending]
computed = RollupMonth.objects.aggregate(first=Min("computed_at"))["first"]
print("rollups", "pending" if pending else "current", "after-last-entry" if computed > last_entry else "before")
