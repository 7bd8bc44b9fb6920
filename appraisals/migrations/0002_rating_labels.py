"""The rating scale's default labels (HR may rename them; the order is fixed by `level`)."""

from django.db import migrations

LABELS = [(5, "优秀", "Excellent"), (4, "良好", "Good"), (3, "合格", "Satisfactory"),
          (2, "待改进", "Needs improvement"), (1, "不合格", "Unsatisfactory")]


def add_labels(apps, schema_editor):
    RatingLevel = apps.get_model("appraisals", "RatingLevel")
    for level, zh, en in LABELS:
        RatingLevel.objects.get_or_create(level=level, defaults={"label_zh": zh, "label_en": en})


class Migration(migrations.Migration):
    dependencies = [("appraisals", "0001_appraisal_cycles_and_steps")]
    operations = [migrations.RunPython(add_labels, migrations.RunPython.noop)]
