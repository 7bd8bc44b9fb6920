"""Development plans closed before the outcome was a state of its own: each goes to closed_improved or
closed_not_improved by the action of the event that closed it, and that event's `to_state` with it, so the case's
history names the state it is in."""

from django.db import migrations

SUBJECT = "promotions.promotioncase"
OUTCOME = {"improved": "closed_improved", "not_improved": "closed_not_improved"}


def split_closed(apps, schema_editor):
    PromotionCase = apps.get_model("promotions", "PromotionCase")
    StateEvent = apps.get_model("teams", "StateEvent")
    closed = set(PromotionCase.objects.filter(state="closed").values_list("pk", flat=True))
    closing = {}  # case -> its latest closing event (pk, action)
    for pk, subject_id, action in (StateEvent.objects.filter(subject_type=SUBJECT, subject_id__in=closed,
                                                             to_state="closed", action__in=OUTCOME)
                                   .order_by("at", "pk").values_list("pk", "subject_id", "action")):
        closing[subject_id] = (pk, action)
    # no closing event on record (a row written by hand): a plan that another case follows did not improve
    followed = set(PromotionCase.objects.filter(follows_id__in=closed).values_list("follows_id", flat=True))
    outcome = {pk: closing[pk][1] if pk in closing else "not_improved" if pk in followed else "improved"
               for pk in closed}
    for action, state in OUTCOME.items():
        cases = [pk for pk in closed if outcome[pk] == action]
        PromotionCase.objects.filter(pk__in=cases).update(state=state)
        StateEvent.objects.filter(pk__in=[closing[pk][0] for pk in cases if pk in closing]).update(to_state=state)


def join_closed(apps, schema_editor):
    PromotionCase = apps.get_model("promotions", "PromotionCase")
    StateEvent = apps.get_model("teams", "StateEvent")
    PromotionCase.objects.filter(state__in=OUTCOME.values()).update(state="closed")
    StateEvent.objects.filter(subject_type=SUBJECT, to_state__in=OUTCOME.values()).update(to_state="closed")


class Migration(migrations.Migration):
    dependencies = [("promotions", "0003_case_outcome_states"), ("teams", "0003_employee_contract_end")]
    operations = [migrations.RunPython(split_closed, join_closed)]
