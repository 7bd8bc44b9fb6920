"""The weekly figures spreadsheet: its columns (工号, 姓名, 周, then one per entered metric), the rows read from an
upload, and writing templates and exports.

django-import-export names the columns and formats the cells of templates and exports; it never imports. Every
write goes through kpis.services.weekly_figures_save, so import-export's own save path is never taken: its bulk
mode that skips save(), and the primary-key sequence reset after an import (its issue #2166) that makes two
concurrent imports collide. Uploads are read, bounded and checked before they are parsed, by kpis.uploads.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal

import tablib
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from teams import inputs
from teams.errors import DomainError

from . import metrics

# The fixed columns. They name the file's format, so they stay Chinese whatever the page's language; the
# import accepts the English names in FIXED_COLUMNS too.
EMPLOYEE_NUMBER, NAME, TEAM, WEEK, STATE = "工号", "姓名", "团队", "周", "状态"

# Column names the import understands besides the metrics' labels and codes (compared casefolded).
FIXED_COLUMNS = {
    "employee_number": (EMPLOYEE_NUMBER, "员工编号", "employee number", "employee_number", "employee no."),
    "name": (NAME, "name"),
    "week": (WEEK, "周一", "week", "week (monday)"),
}

# A text cell starting with one of these can run as a formula in Excel, LibreOffice or Google Sheets (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# 2017-03-06, 2017/3/6 (Chinese Excel's CSV), 2017年3月6日, optionally with a midnight time.
DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]0?0:00(?::00)?)?")


@dataclass(frozen=True)
class SheetRow:
    """One line of a figures spreadsheet: a rep's week; `values` by metric code (None: a blank cell)."""

    employee_number: str
    name: str
    week: date
    values: dict[str, int | Decimal | None]
    team: str = ""
    state: str = ""


def neutralise(value: object) -> object:
    """Return the cell so that no spreadsheet runs it: text that could start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FiguresResource(resources.Resource):
    """Columns for SheetRows. Built per call from `metrics.ENTERED`, so a metric added there is a new column."""

    def __init__(self, chosen: Sequence[metrics.Metric] | None = None, *, with_team_and_state: bool = False) -> None:
        super().__init__()
        columns = [fields.Field(attribute="employee_number", column_name=EMPLOYEE_NUMBER),
                   fields.Field(attribute="name", column_name=NAME)]
        if with_team_and_state:
            columns.append(fields.Field(attribute="team", column_name=TEAM))
        columns.append(fields.Field(attribute="week", column_name=WEEK, widget=widgets.DateWidget()))
        for metric in metrics.ENTERED if chosen is None else chosen:
            number = widgets.IntegerWidget() if metric.unit == metrics.Unit.COUNT else widgets.DecimalWidget()
            columns.append(fields.Field(attribute=f"values__{metric.code}", column_name=metric.label_zh,
                                        widget=number))
        if with_team_and_state:
            columns.append(fields.Field(attribute="state", column_name=STATE))
        self.fields = {f"c{i}": column for i, column in enumerate(columns)}

    def export_field(self, field: fields.Field, instance: SheetRow, **kwargs) -> object:
        return neutralise(super().export_field(field, instance, **kwargs))

    def sheet(self, rows: Iterable[SheetRow]) -> tablib.Dataset:
        """Return the rows as a Dataset of native values (numbers and dates stay numbers and dates in XLSX)."""
        return self.export(list(rows), force_native_type=True)


FILE_FORMATS = {"xlsx": base_formats.XLSX, "csv": base_formats.CSV}


def sheet_file(dataset: tablib.Dataset, file_format: str) -> tuple[bytes, str]:
    """Return the sheet as file bytes and their content type; `file_format` is "xlsx" or "csv"."""
    dataset.title = "figures"  # the XLSX sheet's name
    if file_format == "csv":
        # With a byte-order mark, Excel opens UTF-8 Chinese correctly instead of guessing a legacy code page.
        return dataset.export("csv").encode("utf-8-sig"), "text/csv; charset=utf-8"
    xlsx = FILE_FORMATS["xlsx"]()
    return xlsx.export_data(dataset), xlsx.get_content_type()


class UploadRefused(DomainError):
    """The file as a whole was refused (size, type, damage, columns); nothing was read into the figures."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


@dataclass(frozen=True)
class SheetLine:
    """One data row of the file, every cell as text (what the session keeps between preview and confirm)."""

    row: int
    employee_number: str
    name: str
    week: str
    values: dict[str, str]


@dataclass(frozen=True)
class ParsedSheet:
    file_name: str
    columns: dict[str, str]  # employee_number / name / week / metric code -> the header the file used
    lines: list[SheetLine]
    ignored: list[str] = field(default_factory=list)  # headers the import does not use

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping) -> "ParsedSheet":
        return cls(data["file_name"], data["columns"], [SheetLine(**line) for line in data["lines"]], data["ignored"])


def cell_text(cell: object) -> str:
    """Return a cell as the text a person would type (XLSX cells arrive as numbers and datetimes)."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float):
        # 15 significant digits, as Excel shows them: 0.1 + 0.2 reads 0.3, not 0.30000000000000004.
        return format(cell, ".15g")
    return str(cell).strip()


def parse_week(text: str) -> date:
    """Return the Monday the cell names, or raise ValueError with a message for the user."""
    match = DATE.fullmatch(text.strip()) if len(text) <= 40 else None
    try:
        day = date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(_("“%(text)s” is not a date (write it as YYYY-MM-DD).") % {"text": text[:40]})
    inputs.served_day(day)  # 9999-12-27 would overflow the calendar sums
    if day.weekday() != 0:
        raise ValueError(_("%(day)s is not a Monday; a week is given by its Monday.") % {"day": day})
    return day
