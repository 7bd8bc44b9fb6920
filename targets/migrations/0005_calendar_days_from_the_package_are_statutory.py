"""Days loaded before sources were kept: those the statutory arrangement holds (same day and kind) are statutory,
any other was the company's own."""

from django.db import migrations


def mark_statutory(apps, schema_editor):
    from chinese_calendar import constants

    CalendarDay = apps.get_model("targets", "CalendarDay")
    for kind, days in (("holiday", constants.holidays), ("makeup", constants.workdays)):
        CalendarDay.objects.filter(kind=kind, day__in=list(days)).update(source="statutory")


class Migration(migrations.Migration):
    dependencies = [("targets", "0004_calendar_sources_and_years")]
    operations = [migrations.RunPython(mark_statutory, migrations.RunPython.noop)]
