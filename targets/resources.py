"""Spreadsheet import/export of the working calendar (django-import-export)."""

from import_export import fields, resources

from .models import CalendarDay


class CalendarDayResource(resources.ModelResource):
    """Rows of date, kind (holiday / makeup) and name; a known date is updated, not duplicated."""

    day = fields.Field(attribute="day", column_name="date")

    class Meta:
        model = CalendarDay
        fields = ("day", "kind", "name")
        import_id_fields = ("day",)
        skip_unchanged = True
        report_skipped = True
        use_transactions = True  # one bad row and nothing is written
        clean_model_instances = True  # a kind other than holiday or makeup is a row error

    def import_data(self, *args, **kwargs):
        """Import all rows or none: a row that fails validation rolls the whole file back."""
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(*args, **kwargs)
