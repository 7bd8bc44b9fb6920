"""Anything typed into the register's forms answers 2xx, 3xx or 4xx, never a 500 (as tests/test_fuzz_writes.py
does for the other write pages): the proposal form and the act form, every field."""

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.rewards.conftest import propose
from tests.test_fuzz_writes import FUZZ, TYPED

PROPOSAL = ("employee", "team", "kind", "method", "amount", "reason", "period", "first_month", "promotion_case")


@FUZZ
@given(body=st.fixed_dictionaries({}, optional={name: TYPED for name in PROPOSAL}))
def test_the_proposal_form_never_fails(client, org, draft_plan, body):
    client.force_login(org.manager_a.user)
    assert client.post(reverse("rewards:record_new"), body).status_code in (200, 302)


@FUZZ
@given(action=st.sampled_from(["approve", "reject", "publish", "revoke", "withdraw", "hr_approve"]),
       body=st.fixed_dictionaries({}, optional={"version": TYPED, "reason": TYPED}))
def test_the_act_form_never_fails(client, org, action, body):
    record = propose(org)
    client.force_login(org.director.user)
    assert client.post(reverse("rewards:record_act", args=[record.pk, action]), body).status_code in (200, 302)
