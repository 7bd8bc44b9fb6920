"""The early-promotion flag HR's review kept inside the `review` JSON ("early") becomes the case's own field
`early_recommended`, and leaves the JSON; backwards, it goes back in."""

from django.db import migrations


def flag_out_of_review(apps, schema_editor):
    PromotionCase = apps.get_model("promotions", "PromotionCase")
    cases = list(PromotionCase.objects.filter(review__has_key="early").only("review"))
    for case in cases:
        case.early_recommended = case.review.pop("early") is True
    PromotionCase.objects.bulk_update(cases, ["early_recommended", "review"])


def flag_into_review(apps, schema_editor):
    PromotionCase = apps.get_model("promotions", "PromotionCase")
    cases = list(PromotionCase.objects.exclude(review={}).only("review", "early_recommended"))
    for case in cases:
        case.review["early"] = case.early_recommended
    PromotionCase.objects.bulk_update(cases, ["review"])


class Migration(migrations.Migration):
    dependencies = [("promotions", "0005_case_early_recommended")]
    operations = [migrations.RunPython(flag_out_of_review, flag_into_review)]
