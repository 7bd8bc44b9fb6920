"""The register's workbooks: the filtered list with its columns, a month's cash list for payroll (final cash
records of that month only), text that a spreadsheet could run neutralised, and who may download which."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.rewards.conftest import SEPTEMBER, act, propose, reach


def _rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_register_export_has_the_lists_columns_and_follows_its_filters(client, org, draft_plan):
    record = reach(org, "published")
    propose(org, kind="penalty", method="notice", amount=None, reason="=HYPERLINK(\"http://x\")")
    client.force_login(org.hr.user)
    rows = _rows(client.get(reverse("rewards:records_export"), {"kind": "reward"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert rows[0] == ("#", "State", "Kind", "Method", "Employee number", "Employee or team", "Period", "Month",
                       "Amount (CNY)", "Reason", "Rule", "Proposed by", "Proposed at", "Approved by",
                       "Approved by HR", "Published at", "Reason revoked")
    assert len(rows) == 2
    assert rows[1][:6] == (record.pk, "Published", "Reward", "Cash", org.rep_a.employee_number, org.rep_a.name)
    assert (rows[1][8], rows[1][9], rows[1][11], rows[1][13]) == (1000, "月度冠军", org.manager_a.name,
                                                                 org.director.name)
    penalty = _rows(client.get(reverse("rewards:records_export"), {"kind": "penalty"}))[1]
    assert penalty[9] == "'=HYPERLINK(\"http://x\")"  # neutralised: no spreadsheet runs it


def test_the_register_export_has_every_line_of_the_totals_as_chosen(client, org, draft_plan):
    for amount in (1000, 2000):
        act("approve", propose(org, amount=amount, period="month", first_month=SEPTEMBER), org.director)
    reach(org, "published", amount=500)
    client.force_login(org.hr.user)
    response = client.get(reverse("rewards:records_export"), {"totals": "subject_period"}, HTTP_ACCEPT_LANGUAGE="en")
    sheet = load_workbook(BytesIO(response.content))["Totals"]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("Employee or team", "Period", "Month", "Kind", "Records", "Cash")
    assert sorted(rows[1:], key=str) == sorted([(org.rep_a.name, "Month", "2017-09", "Reward", 2, 3000),
                                                (org.rep_a.name, "No period", None, "Reward", 1, 500)], key=str)


def test_a_reps_export_holds_only_their_final_records(client, org):
    approved = reach(org, "approved")
    propose(org)
    client.force_login(org.rep_a.user)
    assert [r[0] for r in _rows(client.get(reverse("rewards:records_export")))[1:]] == [approved.pk]


def test_the_payroll_list_holds_the_months_final_cash_records(client, org, draft_plan):
    paid = act("approve", propose(org, amount=1200, period="month", first_month=SEPTEMBER, reason="+冠军"),
               org.director)
    reach(org, "published")  # no period, proposed today: another month's list
    propose(org, amount=800, period="month", first_month=SEPTEMBER)  # not approved
    act("approve", propose(org, method="notice", amount=None, period="month", first_month=SEPTEMBER),
        org.director)  # not cash
    act("revoke", act("approve", propose(org, amount=5, period="month", first_month=SEPTEMBER), org.director),
        org.hr, reason="错误")
    act("approve", propose(org, amount=300, period="month", first_month=date(2017, 10, 1)), org.director)
    client.force_login(org.director.user)
    rows = _rows(client.get(reverse("rewards:payroll"), {"month": "2017-09"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert rows == [("Employee number", "Name", "Amount (CNY)", "Reason"),
                    (org.rep_a.employee_number, org.rep_a.name, 1200, "'+冠军")]
    assert paid.state == "approved"


@pytest.mark.parametrize(("role", "status"), [("director", 200), ("hr", 200), ("general_manager", 403),
                                              ("manager_a", 403), ("rep_a", 403)])
def test_only_hr_and_the_director_download_the_payroll_list(client, org, role, status):
    client.force_login(org.by_role(role).user)
    assert client.get(reverse("rewards:payroll"), {"month": "2017-09"}).status_code == status


def test_a_malformed_payroll_month_is_404(client, org):
    client.force_login(org.hr.user)
    assert client.get(reverse("rewards:payroll"), {"month": "2017-13"}).status_code == 404


def test_the_admin_lists_records_but_never_changes_or_deletes_one(admin_client, org, unchanged):
    record = reach(org, "published")
    assert admin_client.get(reverse("admin:rewards_record_changelist")).status_code == 200
    change, delete = (reverse(f"admin:rewards_record_{name}", args=[record.pk]) for name in ("change", "delete"))
    with unchanged():
        assert admin_client.post(change, {"reason": "改"}).status_code == 403
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
        assert admin_client.get(reverse("admin:rewards_record_add")).status_code == 403
