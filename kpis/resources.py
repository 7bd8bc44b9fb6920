"""The weekly figures spreadsheet: its columns (工号, 姓名, 周, then one per entered metric), reading and writing it.

django-import-export names the columns and formats the cells of templates and exports, and its XLSX format reads
uploads; it never imports. Every write goes through kpis.services.weekly_figures_save, so import-export's own save
path is never taken: its bulk mode that skips save(), and the primary-key sequence reset after an import (its issue
#2166) that makes two concurrent imports collide. Uploads are checked before they are parsed: size, that the file
is what its name claims, zip bombs and XML bombs.
"""

import csv
import functools
import io
import logging
import re
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal

import defusedxml
import tablib
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from teams.errors import DomainError

from . import metrics

logger = logging.getLogger(__name__)

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


# --- reading the file -----------------------------------------------------------------------------------------

def sheet_read(upload: UploadedFile) -> ParsedSheet:
    """Return the upload's rows as text, or raise UploadRefused before parsing anything suspicious."""
    limit = settings.FIGURES_IMPORT_MAX_BYTES
    if upload.size > limit:
        # Exact bytes: near the limit a rounded size would read the same as the limit itself.
        raise UploadRefused(_("The file is %(size)s bytes; files up to %(limit)s bytes (%(readable)s) are accepted.")
                            % {"size": f"{upload.size:,}", "limit": f"{limit:,}", "readable": filesizeformat(limit)})
    name = upload.name or ""
    suffix = name.lower().rpartition(".")[2]
    if suffix not in FILE_FORMATS:
        raise UploadRefused(_("Upload an .xlsx or a .csv file."))
    content = upload.read()
    dataset = _xlsx_dataset(content) if suffix == "xlsx" else _csv_dataset(content)
    return _lines(name, dataset)


def _xlsx_dataset(content: bytes) -> tablib.Dataset:
    not_xlsx = _("The file is not an XLSX workbook, though its name says so.")
    if not content.startswith(b"PK\x03\x04"):  # an .xlsx is a zip archive
        raise UploadRefused(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise UploadRefused(not_xlsx) from None
    if "xl/workbook.xml" not in {e.filename for e in entries}:
        raise UploadRefused(not_xlsx)
    if sum(e.file_size for e in entries) > settings.FIGURES_IMPORT_MAX_UNZIPPED_BYTES:
        raise UploadRefused(_("The workbook unpacks to more than %(limit)s; it was not opened.")
                            % {"limit": filesizeformat(settings.FIGURES_IMPORT_MAX_UNZIPPED_BYTES)})
    _defuse_xml()
    try:
        return FILE_FORMATS["xlsx"]().create_dataset(content)
    except Exception as error:  # openpyxl fails on damaged files with many kinds of error, all "unreadable"
        if _caused_by_xml_trick(error):
            raise UploadRefused(_("The workbook contains XML entity declarations, which are refused.")) from None
        logger.info("Unreadable XLSX upload", exc_info=True)
        raise UploadRefused(_("The workbook could not be read; it may be damaged.")) from None


@functools.cache
def _defuse_xml() -> None:
    """Make every stdlib XML parser refuse entity tricks (openpyxl already picks defusedxml's; this covers the rest)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # defuse_stdlib touches the deprecated cElementTree
        defusedxml.defuse_stdlib()


def _caused_by_xml_trick(error: BaseException | None) -> bool:
    """Return whether defusedxml refused the XML somewhere down the chain (openpyxl wraps it in a ValueError)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, defusedxml.DefusedXmlException):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _csv_dataset(content: bytes) -> tablib.Dataset:
    not_csv = _("The file is not CSV text in UTF-8 or GB18030, though its name says so.")
    if b"\x00" in content:  # text never holds NUL bytes; a workbook or an image renamed .csv does
        raise UploadRefused(not_csv)
    for encoding in ("utf-8-sig", "gb18030"):  # Chinese Excel saves CSV in GB18030 (GBK)
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadRefused(not_csv)
    try:
        # The csv module rather than tablib's loader: tablib drops blank lines, which would shift row numbers.
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise UploadRefused(not_csv) from None
    if not rows:
        raise UploadRefused(_("The file is empty."))
    width = len(rows[0])
    for number, row in enumerate(rows[1:], start=2):
        while len(row) > width and not row[-1].strip():
            row.pop()
        if len(row) > width:
            raise UploadRefused(_("Row %(row)s has more cells than the header row.") % {"row": number})
        row.extend([""] * (width - len(row)))
    return tablib.Dataset(*rows[1:], headers=rows[0])


def _fold(header: object) -> str:
    return " ".join(str(header or "").split()).casefold()


def _column_names() -> dict[str, str]:
    """Return every accepted header (folded) and the column it means: a FIXED_COLUMNS key or a metric code."""
    names = {_fold(n): key for key, aliases in FIXED_COLUMNS.items() for n in aliases}
    for metric in metrics.ENTERED:
        names.update({_fold(n): metric.code for n in (metric.label_zh, metric.label_en, metric.code,
                                                       *metric.header_aliases)})
    return names


def _lines(file_name: str, dataset: tablib.Dataset) -> ParsedSheet:
    names, columns, positions, ignored = _column_names(), {}, {}, []
    for position, header in enumerate(dataset.headers or []):
        key = names.get(_fold(header))
        if key is None:
            if _fold(header):
                ignored.append(str(header).strip())
            continue
        if key in columns:
            raise UploadRefused(_("The columns “%(first)s” and “%(second)s” mean the same; keep one.")
                                % {"first": columns[key], "second": str(header).strip()})
        columns[key], positions[key] = str(header).strip(), position
    required = [("employee_number", EMPLOYEE_NUMBER), ("week", WEEK)] + [(m.code, m.label_zh) for m in metrics.ENTERED]
    missing = [header for key, header in required if key not in columns]
    if missing:
        raise UploadRefused(_("The file lacks these columns: %(columns)s.") % {"columns": "、".join(missing)})
    lines = []
    for number, row in enumerate(dataset, start=2):
        cells = {key: _text(row[p]) for key, p in positions.items()}
        if not any(cells.values()):
            continue  # a blank line
        lines.append(SheetLine(number, cells["employee_number"], cells.get("name", ""), cells["week"],
                               {m.code: cells[m.code] for m in metrics.ENTERED}))
    if not lines:
        raise UploadRefused(_("The file has no rows of figures."))
    if len(lines) > settings.FIGURES_IMPORT_MAX_ROWS:
        raise UploadRefused(_("The file has %(n)s rows; up to %(limit)s are accepted at once.")
                            % {"n": len(lines), "limit": settings.FIGURES_IMPORT_MAX_ROWS})
    return ParsedSheet(file_name, columns, lines, ignored)


def _text(cell: object) -> str:
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
    match = DATE.fullmatch(text.strip())
    try:
        day = date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(_("“%(text)s” is not a date (write it as YYYY-MM-DD).") % {"text": text})
    if day.weekday() != 0:
        raise ValueError(_("%(day)s is not a Monday; a week is given by its Monday.") % {"day": day})
    return day
