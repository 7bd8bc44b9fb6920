"""The kpis admin: weekly figures saved through the service (audit channel "admin"), errors on the form, and
read-only screens for the audit trail and month closes."""

from datetime import date

import pytest
from django.urls import reverse

from kpis import metrics, services
from kpis.models import Channel, CustomerBase, FigureChange, FiguresState, MonthClose, WeeklyFigures
from kpis.services import RepWeekInput

WEEK = date(2017, 8, 7)
FIGURES = {"new_customers": "6", "engaged_customers": "10", "accounts_opened": "4",
           "new_customer_deposits": "300000.00", "existing_customer_deposits": "1200.50", "trading_volume": "0.00"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def figures(org) -> WeeklyFigures:
    """rep_a's week as their manager entered it in the grid (version 1)."""
    services.weekly_figures_save(week=WEEK, rows=[RepWeekInput(org.rep_a.pk, FIGURES)], by=org.manager_a.user,
                                 channel=Channel.GRID)
    return WeeklyFigures.objects.get(employee=org.rep_a, week=WEEK)


def change_url(figures: WeeklyFigures) -> str:
    return reverse("admin:kpis_weeklyfigures_change", args=[figures.pk])


def change_post(admin_client, figures: WeeklyFigures, version: int = 1, **values: str):
    return admin_client.post(change_url(figures), {"seen_version": version, **FIGURES, **values}, headers=EN)


def add_post(admin_client, employee, week: date = WEEK, **values: str):
    return admin_client.post(reverse("admin:kpis_weeklyfigures_add"),
                             {"employee": employee.pk, "week": week.isoformat(), **FIGURES, **values}, headers=EN)


@pytest.mark.parametrize("model", [WeeklyFigures, FigureChange, MonthClose, CustomerBase], ids=lambda m: m.__name__)
def test_each_kpis_admin_list_opens(admin_client, figures, model):
    url = reverse(f"admin:kpis_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


def test_the_change_form_shows_every_entered_metric_and_the_cells_history(admin_client, figures):
    html = admin_client.get(change_url(figures)).content.decode()
    for metric in metrics.ENTERED:
        assert f'name="{metric.code}"' in html
    assert 'name="state"' not in html and 'name="employee"' not in html  # identity and state are not edited here
    assert "<td>accounts_opened</td><td></td><td>4</td>" in html


def test_saving_through_the_admin_records_a_change_with_channel_admin(admin_client, admin_user, figures):
    response = change_post(admin_client, figures, accounts_opened="7")
    assert response.status_code == 302
    figures.refresh_from_db()
    assert (figures.accounts_opened, figures.version, figures.entered_by) == (7, 2, admin_user)
    change = FigureChange.objects.get(channel=Channel.ADMIN)
    assert (change.field, change.old_value, change.new_value, change.changed_by) == (
        "accounts_opened", "4", "7", admin_user)


def test_the_admin_cannot_move_the_state(admin_client, figures, unchanged):
    with unchanged():  # the same figures and a state: no change, so nothing is saved and the state stays
        admin_client.post(change_url(figures), {"seen_version": 1, **FIGURES, "state": FiguresState.LOCKED})
    figures.refresh_from_db()
    assert figures.state == FiguresState.DRAFT


def test_adding_through_the_admin_finds_the_reps_team_and_records_the_change(admin_client, admin_user, org):
    response = add_post(admin_client, org.mover, week=date(2017, 6, 5))
    assert response.status_code == 302, response.content.decode()
    added = WeeklyFigures.objects.get(employee=org.mover)
    assert (added.team, added.state, added.entered_by) == (org.team_b, FiguresState.DRAFT, admin_user)
    assert set(FigureChange.objects.filter(figures=added).values_list("channel", "old_value")) == {("admin", "")}


def test_adding_a_duplicate_is_refused_on_the_form(admin_client, figures, org, unchanged):
    with unchanged():
        response = add_post(admin_client, org.rep_a, accounts_opened="9")
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert WeeklyFigures.objects.get().accounts_opened == 4


def test_the_services_refusal_shows_on_the_form_and_nothing_is_written(admin_client, org, unchanged):
    with unchanged():
        response = add_post(admin_client, org.leaver, week=date(2017, 4, 10))
    assert response.status_code == 200
    assert "Not one of your team&#x27;s reps that week." in response.content.decode()
    assert not WeeklyFigures.objects.exists() and not FigureChange.objects.exists()


def test_a_week_in_a_closed_month_is_refused_on_the_form(admin_client, figures, org, unchanged):
    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    with unchanged():
        response = change_post(admin_client, figures, accounts_opened="7")
    assert response.status_code == 200
    assert "is closed; the director can reopen it" in response.content.decode()
    figures.refresh_from_db()
    assert figures.accounts_opened == 4


def test_a_save_over_someone_elses_newer_figures_is_refused_naming_the_difference(admin_client, figures, org,
                                                                                   unchanged):
    services.weekly_figures_save(week=WEEK, rows=[RepWeekInput(org.rep_a.pk, {"accounts_opened": "5"}, version=1)],
                                 by=org.manager_a.user, channel=Channel.GRID)
    with unchanged():
        response = change_post(admin_client, figures, version=1, accounts_opened="7")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved figures for 甲队员" in html
    assert "Accounts opened: " in html and " saved 5, you entered 7." in html
    figures.refresh_from_db()
    assert (figures.accounts_opened, figures.version) == (5, 2)
    assert not FigureChange.objects.filter(channel=Channel.ADMIN).exists()


def test_a_bad_cell_is_refused_by_the_form(admin_client, figures, unchanged):
    with unchanged():
        response = change_post(admin_client, figures, new_customer_deposits="-5")
    assert response.status_code == 200
    figures.refresh_from_db()
    assert figures.new_customer_deposits == 300000 and figures.version == 1


@pytest.mark.parametrize("model", [FigureChange, MonthClose], ids=lambda m: m.__name__)
def test_the_audit_trail_and_month_closes_cannot_be_added_or_edited(admin_client, figures, org, model, unchanged):
    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    row = model.objects.first()
    name = model._meta.model_name
    with unchanged():
        assert admin_client.get(reverse(f"admin:kpis_{name}_add")).status_code == 403
        assert admin_client.post(reverse(f"admin:kpis_{name}_change", args=[row.pk]), {}).status_code == 403
        delete = reverse(f"admin:kpis_{name}_delete", args=[row.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def test_weekly_figures_cannot_be_deleted_from_the_admin(admin_client, figures, unchanged):
    url = reverse("admin:kpis_weeklyfigures_delete", args=[figures.pk])
    with unchanged():
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert WeeklyFigures.objects.filter(pk=figures.pk).exists()


def test_the_audit_trail_filters_by_channel_and_field(admin_client, figures, org):
    change_post(admin_client, figures, accounts_opened="7")
    url = reverse("admin:kpis_figurechange_changelist")
    response = admin_client.get(f"{url}?channel__exact=admin&field=accounts_opened")
    assert response.context["cl"].result_count == 1
    assert admin_client.get(f"{url}?channel__exact=grid").context["cl"].result_count == len(FIGURES)
