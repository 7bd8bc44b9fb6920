"""Requests that cannot hurt (salesops/limits.py, gunicorn.conf.py): a body over the limit, JSON nested too deep or a
content type an endpoint does not take gets a JSON 4xx from the API and a page with a message from the HTML views;
nothing is written; production runs gunicorn with a timeout."""

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.exceptions import ParseError

from salesops.limits import BoundedJSONParser
from tests.api_errors import errors_by_field

ROOT = Path(__file__).resolve().parent.parent
API = "/api/v1/figures/"


@pytest.fixture
def manager(client, org):
    client.force_login(org.manager_a.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_5_mb_json_body_gets_a_json_413_unread(manager, org, unchanged):
    body = json.dumps({"team": org.team_a.pk, "week": "2017-03-06", "rows": [], "pad": "x" * 5_000_000})
    with unchanged():
        response = manager.put(API, body, content_type="application/json")
    [text] = errors_by_field(response)[None]
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert text.startswith("The request is larger than 1.0") and "nothing was read" in text


def test_the_api_parser_reads_no_more_than_the_limit_whatever_the_stream_holds():
    """Behind the middleware's check of the declared length: a stream longer than the limit is refused unread."""
    stream = io.BytesIO(b'{"pad": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b'"}')
    with pytest.raises(ParseError, match="larger than"):
        BoundedJSONParser().parse(stream)
    assert stream.tell() == settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1


def test_json_nested_100000_deep_is_a_json_400_not_a_recursion_error(manager, org, unchanged):
    body = "[" * 100_000 + "]" * 100_000
    with unchanged():
        response = manager.put(API, body, content_type="application/json")
    assert response.status_code == 400 and errors_by_field(response) == {None: ["The JSON is nested too deeply."]}


def test_broken_json_is_a_json_400(manager, unchanged):
    with unchanged():
        response = manager.put(API, '{"team": ', content_type="application/json")
    assert response.status_code == 400 and "could not be read" in errors_by_field(response)[None][0]


def test_a_content_type_the_api_does_not_take_is_a_json_415(manager, unchanged):
    with unchanged():
        response = manager.put(API, "<figures/>", content_type="application/xml")
    assert response.status_code == 415 and errors_by_field(response)[None]


def test_an_html_form_over_the_limit_gets_a_page_saying_so(manager, org, plan, unchanged):
    url = reverse("kpis:grid", args=[org.team_a.pk, "2017-03-06"])
    with unchanged():
        response = manager.post(url, "rep=" + "1" * 2_000_000, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "nothing was read" in response.content.decode() or "不予读取" in response.content.decode()


def test_an_upload_over_the_import_limit_is_refused_before_it_is_read(manager, unchanged):
    big = settings.FIGURES_IMPORT_MAX_BYTES * 4 + 1
    with unchanged():
        response = manager.generic("POST", reverse("kpis:import"), b"", content_type="multipart/form-data; boundary=x",
                                   CONTENT_LENGTH=str(big))
    assert response.status_code == 413


def test_a_normal_save_is_not_affected(manager, org, plan):
    body = {"team": org.team_a.pk, "week": date(2017, 3, 6).isoformat(),
            "rows": [{"employee": org.rep_a.pk, "values": {"new_customers": "3"}}]}
    assert manager.put(API, body, content_type="application/json").status_code == 200


def test_production_runs_gunicorn_with_a_timeout():
    config = (ROOT / "gunicorn.conf.py").read_text()
    assert re.search(r'^timeout = int\(os.environ.get\("GUNICORN_TIMEOUT", "30"\)\)', config, re.M)
    assert '"--config", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()
    assert "gunicorn salesops.wsgi:application --config gunicorn.conf.py" in (ROOT / "docker-compose.yml").read_text()
    namespace: dict = {}
    exec(compile(config, "gunicorn.conf.py", "exec"), namespace)  # noqa: S102 - our own file
    assert 0 < namespace["timeout"] <= 60 and namespace["limit_request_line"] > 0


@pytest.mark.parametrize("url", ["/teams/99999999999/", "/people/?team=99999999999",
                                 "/api/v1/figures/?team=99999999999", "/figures/teams/99999999999/weeks/"])
def test_an_id_past_the_integer_column_is_a_4xx_not_a_database_error(manager, url):
    assert manager.get(url).status_code in (200, 400, 404)  # a filter past any id matches nothing


def test_a_database_range_error_anywhere_becomes_a_400_with_a_message(manager, org, monkeypatch, unchanged):
    """The last guard: a value out of range that reaches a query in code not written for it yet."""
    from django.db import DataError

    from teams import views

    def out_of_range(*args, **kwargs):
        raise DataError("integer out of range")

    monkeypatch.setattr(views.selectors, "organisation_for_user", out_of_range)
    with unchanged():
        response = manager.get(reverse("teams:organisation"))
    assert response.status_code == 400 and "out of range" in response.content.decode()
