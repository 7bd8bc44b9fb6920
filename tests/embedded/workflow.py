"""Run by tests/test_embedded_default.py in a subprocess on the embedded default (SQLite, eager Celery), after
migrate and load_demo: manager1 changes a week in the grid and imports a CSV, the rollups land (eagerly, after
each commit), and the director's dashboard shows the new total. Prints what the test compares, one fact a line.
"""

import csv
import io
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesops.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest  # noqa: E402  (django-axes checks every log-in against its request)
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from kpis import metrics  # noqa: E402
from kpis.models import WeeklyFigures  # noqa: E402
from kpis.results.models import RollupMonth  # noqa: E402
from teams import access  # noqa: E402
from teams.models import User  # noqa: E402

setup_test_environment()  # the client keeps each response's template context

GRID_WEEK, IMPORT_WEEK = date(2017, 10, 23), date(2017, 10, 16)  # both count in October, before the as-of day
GRID_ADDS, IMPORT_ADDS = Decimal("12345.67"), Decimal("20000")  # to new-customer deposits


def client_of(username: str) -> Client:
    client = Client(SERVER_NAME="localhost", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert client.login(request=HttpRequest(), username=username, password=settings.DEMO_PASSWORD), username
    return client


def actual_to_date(director: Client) -> tuple[Decimal, str]:
    response = director.get(reverse("dashboards:director"))
    assert response.status_code == 200
    page = response.content.decode()
    shown = page.split('data-testid="actual-to-date">')[1].split("<")[0]
    return response.context["board"].actual_to_date, shown


def cells(figures: WeeklyFigures) -> dict[str, str]:
    return {m.code: str(getattr(figures, m.code)) for m in metrics.ENTERED}


director, manager = client_of("director"), client_of("manager1")
team = access.changeable_teams(access.principal_of(User.objects.get(username="manager1"))).get()
before, shown_before = actual_to_date(director)
print("engine", settings.DATABASES["default"]["ENGINE"], "eager", settings.CELERY_TASK_ALWAYS_EAGER)
print("before", before, shown_before)

# The grid: the whole week's rows as the page posts them, one rep's new-customer deposits raised.
week = list(WeeklyFigures.objects.filter(team=team, week=GRID_WEEK).order_by("employee__employee_number"))
post: dict[str, object] = {"rep": [str(f.employee_id) for f in week]}
for f in week:
    values = cells(f)
    if f is week[0]:
        values["new_customer_deposits"] = str(f.new_customer_deposits + GRID_ADDS)
    post |= {f"v-{f.employee_id}-{code}": text for code, text in values.items()}
    post[f"version-{f.employee_id}"] = str(f.version)
response = manager.post(reverse("kpis:grid", args=[team.pk, GRID_WEEK.isoformat()]), post)
print("grid", response.status_code, [str(m) for m in response.wsgi_request._messages])

# The import: a CSV of another rep's week, its new-customer deposits raised; preview, then confirm.
other = WeeklyFigures.objects.filter(team=team, week=IMPORT_WEEK).exclude(employee=week[0].employee).select_related(
    "employee").order_by("employee__employee_number").first()
values = cells(other) | {"new_customer_deposits": str(other.new_customer_deposits + IMPORT_ADDS)}
buffer = io.StringIO()
writer = csv.writer(buffer)
writer.writerow(["工号", "姓名", "周", *[m.label_zh for m in metrics.ENTERED]])
writer.writerow([other.employee.employee_number, other.employee.name, IMPORT_WEEK.isoformat(),
                 *[values[m.code] for m in metrics.ENTERED]])
upload = SimpleUploadedFile("figures.csv", buffer.getvalue().encode("utf-8-sig"))
preview = manager.post(reverse("kpis:import"), {"file": upload})
print("preview", preview.context["preview"].counts)
confirmed = manager.post(reverse("kpis:import_confirm"), {"token": preview.context["token"]}, follow=True)
print("confirm", confirmed.status_code, [str(m) for m in confirmed.context["messages"]])

print("pending", sorted(str(s.month) for s in RollupMonth.objects.all() if s.pending))
after, shown_after = actual_to_date(director)
print("after", after, shown_after)
checked = io.StringIO()
call_command("check_rollups", stdout=checked)  # the incremental recomputes on SQLite, against the recount
print("check", checked.getvalue().splitlines()[0].split(":")[0])
