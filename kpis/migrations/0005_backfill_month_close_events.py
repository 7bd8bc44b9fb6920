"""Write the state events of months closed or reopened before events existed.

A close is known from closed_by/closed_at (the last close). A reopen left only its reason on the row; who and when
come from the figures it sent back to submitted (FigureChange state rows with that reason, after the close). A
reopen that unlocked no figures left no who or when, so it gets no event rather than an invented one.
"""

from datetime import timedelta

from django.db import migrations


def backfill(apps, schema_editor):
    MonthClose = apps.get_model("kpis", "MonthClose")
    FigureChange = apps.get_model("kpis", "FigureChange")
    StateEvent = apps.get_model("teams", "StateEvent")
    done = set(StateEvent.objects.filter(subject_type="kpis.monthclose").values_list("subject_id", flat=True))
    events = []
    for close in MonthClose.objects.exclude(pk__in=done).order_by("month"):
        events.append(StateEvent(subject_type="kpis.monthclose", subject_id=close.pk, action="close",
                                 from_state="open", to_state="closed", by_id=close.closed_by_id, at=close.closed_at))
        if close.closed:
            continue
        # the weeks of the month are those whose Thursday falls in it
        last = (close.month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        unlocked = FigureChange.objects.filter(
            field="state", old_value="locked", new_value="submitted", reason=close.reopen_reason,
            changed_at__gte=close.closed_at, figures__week__range=(close.month - timedelta(days=3),
                                                                   last - timedelta(days=3)),
        ).order_by("changed_at").first()
        if unlocked is not None:
            events.append(StateEvent(subject_type="kpis.monthclose", subject_id=close.pk, action="reopen",
                                     from_state="closed", to_state="open", by_id=unlocked.changed_by_id,
                                     at=unlocked.changed_at, reason=close.reopen_reason))
    StateEvent.objects.bulk_create(events)


class Migration(migrations.Migration):

    dependencies = [
        ("kpis", "0004_rollup_stale_teams"),
        ("teams", "0002_state_events"),
    ]

    # Going back leaves the events: by then they may hold moves made through the services, which no column keeps.
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
