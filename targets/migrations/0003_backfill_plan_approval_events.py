"""Write the approve event of every plan approved before events existed, from its approved_by and approved_at."""

from django.db import migrations


def backfill(apps, schema_editor):
    PlanYear = apps.get_model("targets", "PlanYear")
    StateEvent = apps.get_model("teams", "StateEvent")
    done = StateEvent.objects.filter(subject_type="targets.planyear").values_list("subject_id", flat=True)
    approved = PlanYear.objects.filter(status="approved", approved_by__isnull=False, approved_at__isnull=False)
    StateEvent.objects.bulk_create(
        StateEvent(subject_type="targets.planyear", subject_id=plan.pk, action="approve", from_state="draft",
                   to_state="approved", by_id=plan.approved_by_id, at=plan.approved_at)
        for plan in approved.exclude(pk__in=list(done)).order_by("pk"))


class Migration(migrations.Migration):

    dependencies = [
        ("targets", "0002_proposal_superseded"),
        ("teams", "0002_state_events"),
    ]

    # Going back leaves the events: by then they may hold moves made through the services, which no column keeps.
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
