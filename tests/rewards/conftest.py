"""Register fixtures: `propose` and `act` drive a record the way users do (through the services), and `reach`
takes rep A's record, proposed by their manager, to a given state."""

from datetime import date

import pytest

from rewards.models import Record
from rewards.services.records import record_act, record_propose
from teams.models import Employee

SEPTEMBER = date(2017, 9, 1)


def propose(org, by: Employee | None = None, **fields) -> Record:
    """Return a record proposed by `by` (default: manager A) about rep A (default: a 1,000 yuan cash reward)."""
    values = {"employee": org.rep_a, "kind": "reward", "method": "cash", "amount": 1000, "reason": "月度冠军",
              **fields}
    if "team" in fields and "employee" not in fields:
        values.pop("employee")
    return record_propose(by=(by or org.manager_a).user, **values)


def act(action: str, record: Record, who: Employee, reason: str = "", version: int | None = None) -> Record:
    """Return the record after `who` made the action on it, at its current version unless told."""
    if version is None:
        version = Record.objects.get(pk=record.pk).version
    return record_act(record_id=record.pk, version=version, action=action, by=who.user, reason=reason)


def reach(org, state: str, amount: int = 1000) -> Record:
    """Return rep A's cash record proposed by manager A, moved to `state` through the services."""
    record = propose(org, amount=amount)
    if state == "proposed":
        return record
    act("approve", record, org.director)
    if state != "published":
        record.refresh_from_db()
        return record
    act("publish", record, org.hr)
    record.refresh_from_db()
    return record


@pytest.fixture
def reached(org):
    return lambda state, amount=1000: reach(org, state, amount)
