"""The import at its documented limits, with the real settings (5,000 rows, 2 MiB), not tiny overrides.

test_import.py proves each refusal with limits of a few rows and bytes; this proves the numbers a manager meets:
a file of exactly 5,000 rep-weeks previews without an error and confirms, 5,001 are refused; a file of exactly
2 MiB is read and one byte more is refused unread.
"""

import html
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis import uploads
from kpis.models import FigureChange, WeeklyFigures
from tests import factories
from tests.kpis.files import sheets
from tests.kpis.files.sheets import line

IMPORT, CONFIRM = reverse("kpis:import"), reverse("kpis:import_confirm")
REPS, WEEKS = 125, 40  # 5,000 rep-weeks: one team's 125 reps over the first 40 weeks of 2016
FIRST_WEEK = date(2016, 1, 4)
TWO_MIB = 2 * 1024 * 1024


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages' source text
    return client


@pytest.fixture(autouse=True)
def documented_limits(settings):
    """The limits the README and the import page state; the test settings must not have changed them."""
    assert (settings.FIGURES_IMPORT_MAX_ROWS, settings.FIGURES_IMPORT_MAX_BYTES) == (5000, TWO_MIB)


@pytest.fixture
def big_team(db):
    """Return a team's manager and its 125 reps, hired through the service on the first Monday of 2016."""
    team = factories.TeamFactory(name="大队")
    manager = factories.manager_of(team)
    reps = [factories.employee(team=team, hired=FIRST_WEEK) for _ in range(REPS)]
    return manager, reps


def rep_weeks(reps, count: int) -> list[list[str]]:
    """Return `count` distinct valid rows: every rep for week 1, then every rep for week 2, and so on."""
    return [line(reps[n % len(reps)], FIRST_WEEK + timedelta(weeks=n // len(reps))) for n in range(count)]


def text(response) -> str:
    return html.unescape(response.content.decode())


def upload(client, who, file):
    client.force_login(who.user)
    return client.post(IMPORT, {"file": file})


def test_a_file_of_exactly_5000_rows_previews_without_errors_and_confirms(client, big_team):
    manager, reps = big_team
    file = sheets.xlsx(rep_weeks(reps, REPS * WEEKS))
    response = upload(client, manager, file)
    preview = response.context["preview"]
    assert preview.counts == {"new": 5000, "changed": 0, "unchanged": 0, "error": 0}
    assert "Confirm import" in text(response)

    done = client.post(CONFIRM, {"token": response.context["token"], "accept_warnings": "1"}, follow=True)
    assert "figures.xlsx imported: 5000 new, 0 changed and 0 unchanged rep-weeks." in text(done)
    assert WeeklyFigures.objects.count() == 5000
    assert WeeklyFigures.objects.filter(week=FIRST_WEEK + timedelta(weeks=WEEKS - 1)).count() == REPS
    assert FigureChange.objects.filter(channel="import").count() == 5000 * 6  # every cell of every new rep-week


def test_a_file_of_5001_rows_is_refused_with_its_count(client, org):
    # Refused before any row is checked, so the rows need not name real reps.
    rows = [["T1", "x", str(FIRST_WEEK + timedelta(weeks=n % 52)), *sheets.FIGURES] for n in range(5001)]
    response = upload(client, org.manager_a, sheets.csv_file(rows))
    assert "The file has 5001 rows; up to 5000 are accepted at once." in text(response)
    assert "preview" not in response.context or response.context["preview"] is None
    assert not WeeklyFigures.objects.exists()


def padded_csv(rows: list[list[str]], size: int) -> SimpleUploadedFile:
    """Return the rows as a CSV of exactly `size` bytes, padded in a comment column the import ignores."""
    head = [*sheets.headers(), "备注"]
    bare = sheets.csv_file([[*r, ""] for r in rows], head=head).read()
    missing = size - len(bare)
    assert missing >= 0
    # Spread the padding over the rows: the csv module refuses a field over 131,072 characters.
    each, extra = divmod(missing, len(rows))
    padded = [[*r, "x" * (each + (1 if i < extra else 0))] for i, r in enumerate(rows)]
    content = sheets.csv_file(padded, head=head).read()
    assert len(content) == size
    return SimpleUploadedFile("figures.csv", content)


def test_a_file_of_exactly_2_mib_is_read_and_previews_without_errors(client, big_team):
    manager, reps = big_team
    response = upload(client, manager, padded_csv(rep_weeks(reps, 200), TWO_MIB))
    assert response.context["preview"].counts == {"new": 200, "changed": 0, "unchanged": 0, "error": 0}
    assert "These columns are not imported: 备注" in text(response)


def test_a_file_one_byte_over_2_mib_is_refused_unread(client, org, monkeypatch):
    monkeypatch.setattr(uploads, "_csv_text", lambda *a: pytest.fail("a refused file must not be parsed"))
    rows = [line(org.rep_a, FIRST_WEEK + timedelta(weeks=n)) for n in range(200)]
    response = upload(client, org.manager_a, padded_csv(rows, TWO_MIB + 1))
    # filesizeformat puts a no-break space between the number and the unit.
    assert "The file is 2,097,153 bytes; files up to 2,097,152 bytes (2.0\xa0MB) are accepted." in text(response)
    assert not WeeklyFigures.objects.exists()


def test_the_size_refusal_shows_the_file_is_larger_than_the_limit(client, org):
    rows = [line(org.rep_a, FIRST_WEEK + timedelta(weeks=n)) for n in range(200)]
    response = upload(client, org.manager_a, padded_csv(rows, TWO_MIB + 1))
    refusal = next(m for m in text(response).split("<") if "The file is" in m)
    size, limit = refusal.split("The file is ")[1].split("; files up to ")
    assert size != limit.removesuffix(" are accepted."), refusal


