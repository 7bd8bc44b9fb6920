"""Run by tests/test_embedded_default.py in a subprocess on the embedded default (SQLite, eager Celery).

Logs in as each demo role and prints the status and final URL of its start page.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesops.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.http import HttpRequest  # noqa: E402  (django-axes checks every log-in against its request)
from django.test import Client  # noqa: E402

print("engine", settings.DATABASES["default"]["ENGINE"], "eager", settings.CELERY_TASK_ALWAYS_EAGER)
for username in ["gm", "director", "hr1", "manager1", "rep01"]:
    client = Client(SERVER_NAME="localhost")  # an allowed host of the local settings
    assert client.login(request=HttpRequest(), username=username, password=settings.DEMO_PASSWORD), username
    response = client.get("/", follow=True)
    page = response.content.decode()
    # Chinese without extra tools: the compiled catalogue translates the header's log-out button.
    chinese = 'lang="zh-hans"' in page and "退出登录" in page
    print(username, response.status_code, response.request["PATH_INFO"], chinese)
