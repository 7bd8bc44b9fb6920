"""Spreadsheet import/export of the working calendar (django-import-export)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from .models import CalendarDay


class CalendarDayResource(resources.ModelResource):
    """Rows of date, kind (holiday / makeup) and name; a known date is updated, not duplicated."""

    day = fields.Field(attribute="day", column_name="date")

    class Meta:
        model = CalendarDay
        fields = ("day", "kind", "name")  # source is not imported: every imported day is the company's
        import_id_fields = ("day",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True  # one bad row and nothing is written
        clean_model_instances = True  # a kind other than holiday or makeup is a row error

    def before_import(self, dataset, **kwargs) -> None:
        """Refuse the whole file when a date is both a holiday and a make-up working day."""
        kinds: dict[str, set[str]] = {}
        for row in dataset.dict:
            kinds.setdefault(str(row.get("date", "")).strip(), set()).add(str(row.get("kind", "")).strip())
        both = sorted(day for day, seen in kinds.items() if {"holiday", "makeup"} <= seen)
        if both:
            raise ValidationError({"day": _("%(day)s is both a holiday and a make-up working day; keep one of them.")
                                   % {"day": both[0]}})

    def before_save_instance(self, instance, row, **kwargs) -> None:
        instance.source = CalendarDay.Source.COMPANY  # an imported day is the company's; reloads keep it

    def import_data(self, *args, **kwargs):
        """Import all rows or none: a row that fails validation rolls the whole file back."""
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(*args, **kwargs)
