"""Feedback on API v1, as on the feedback pages: HR asks (anyone else 403), each giver lists and answers only their
own requests (anyone else's is 404), a refusal names the field and writes nothing, and HR sees the answer."""

import pytest
from django.urls import reverse

from appraisals.models import FeedbackRequest
from tests.api_errors import errors_by_field
from tests.appraisals.conftest import appraisal_of


def send(client, who, url, body):
    client.force_login(who.user)
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("role", ["director", "general_manager", "manager_a", "rep_a"])
def test_only_hr_asks_for_feedback(client, org, feedback_cycle, unchanged, role):
    appraisal = appraisal_of(feedback_cycle, org.rep_a)
    with unchanged():
        response = send(client, org.by_role(role), reverse("appraisal-feedback-ask", args=[appraisal.pk]),
                        {"giver_ids": [org.rep_b.pk]})
    assert response.status_code == 403


def test_hr_asks_the_giver_answers_and_hr_reads_the_answer(client, org, feedback_cycle):
    appraisal = appraisal_of(feedback_cycle, org.rep_a)
    asked = send(client, org.hr, reverse("appraisal-feedback-ask", args=[appraisal.pk]),
                 {"giver_ids": [org.rep_b.pk, org.mover.pk]})
    assert asked.status_code == 200, asked.json()
    assert asked.json()["feedback"]["asked"] == 2
    client.force_login(org.rep_b.user)
    (mine,) = client.get(reverse("feedback-request-list")).json()
    assert (mine["appraisee"]["id"], mine["answer"], mine["answered_at"]) == (org.rep_a.pk, "", None)
    answered = send(client, org.rep_b, reverse("feedback-request-answer", args=[mine["id"]]), {"answer": "很认真"})
    assert answered.status_code == 200 and answered.json()["answer"] == "很认真"
    assert FeedbackRequest.objects.get(pk=mine["id"]).answer == "很认真"
    client.force_login(org.rep_a.user)
    assert client.get(reverse("feedback-request-list")).json() == []


def test_a_refused_ask_or_answer_is_400_naming_the_field_and_anothers_request_404(client, org, feedback_cycle,
                                                                                  unchanged):
    appraisal = appraisal_of(feedback_cycle, org.rep_a)
    url = reverse("appraisal-feedback-ask", args=[appraisal.pk])
    with unchanged():
        own = send(client, org.hr, url, {"giver_ids": [org.rep_a.pk]})
        nobody = send(client, org.hr, url, {"giver_ids": []})
    assert own.status_code == 400 and "giver_ids" in errors_by_field(own)
    assert nobody.status_code == 400 and "giver_ids" in errors_by_field(nobody)
    send(client, org.hr, url, {"giver_ids": [org.rep_b.pk]})
    request = FeedbackRequest.objects.get(appraisal=appraisal)
    with unchanged():
        blank = send(client, org.rep_b, reverse("feedback-request-answer", args=[request.pk]), {"answer": " "})
        other = send(client, org.mover, reverse("feedback-request-answer", args=[request.pk]), {"answer": "好"})
    assert blank.status_code == 400 and "answer" in errors_by_field(blank)
    assert other.status_code == 404
