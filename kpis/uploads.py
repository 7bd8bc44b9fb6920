"""Reading an uploaded figures file with bounded memory and time: only cells that exist are read, never the sheet's
declared extent, so a stray space at XFD10000 or A1048576 (Excel and WPS leave such formatting) costs nothing.

The XLSX reader is openpyxl's streaming sheet parser (read-only mode), not python-calamine: calamine builds the
sheet as one dense range from its first to its last cell (10,000 × 16,384 cells for that stray space) and keeps
only formulas' cached values, so a formula without one reads as blank and cannot be named; openpyxl's parser
yields each existing row as it reads the XML and shows both. It is the openpyxl that tablib[xlsx] already brings.

Each sheet is searched for its header row (a title or notes may stand above it); the first sheet holding one is the
data. A CSV's separator (comma, semicolon or tab) is the one under which its header row is found.
"""

import csv
import functools
import io
import logging
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import defusedxml
import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from . import metrics
from .resources import (
    EMPLOYEE_NUMBER,
    FILE_FORMATS,
    FIXED_COLUMNS,
    WEEK,
    ParsedSheet,
    SheetLine,
    UploadRefused,
    cell_text,
)

logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 20  # a header row further down than this is not looked for
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # the most a sheet can have; a sheet claiming more is not a sheet
SEPARATORS = (",", ";", "\t")
NO_CACHED_VALUE = object()  # a formula cell saved without its result


@dataclass(frozen=True)
class Table:
    """One sheet as text: its name and its non-blank rows as (the file's row number, cells)."""

    name: str
    rows: list[tuple[int, list[str]]]
    total_rows: int  # non-blank rows, counted past the ones kept
    strict_width: bool = False  # a CSV row longer than its header is a misplaced separator, not a note


def sheet_read(upload: UploadedFile) -> ParsedSheet:
    """Return the upload's rows as text, or raise UploadRefused before parsing anything suspicious."""
    return _lines(upload.name or "", tables_read(upload))


def tables_read(upload: UploadedFile) -> Iterator[Table]:
    """Yield the upload's sheets as text under the same bounds (other apps' imports find their own header)."""
    limit = settings.FIGURES_IMPORT_MAX_BYTES
    if upload.size > limit:
        # Exact bytes: near the limit a rounded size would read the same as the limit itself.
        raise UploadRefused(_("The file is %(size)s bytes; files up to %(limit)s bytes (%(readable)s) are accepted.")
                            % {"size": f"{upload.size:,}", "limit": f"{limit:,}", "readable": filesizeformat(limit)})
    name = upload.name or ""
    suffix = name.lower().rpartition(".")[2]
    if suffix not in FILE_FORMATS:
        raise UploadRefused(_("Upload an .xlsx or a .csv file."))
    content = upload.read(limit + 1)
    return _xlsx_tables(content) if suffix == "xlsx" else _csv_tables(content)


# --- XLSX -------------------------------------------------------------------------------------------------------

class _CellReader(WorkSheetParser):
    """openpyxl's streaming parser, reading cached values, that marks a formula saved without its result."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = NO_CACHED_VALUE
        return cell


def _xlsx_tables(content: bytes) -> Iterator[Table]:
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
    book = None
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheets = [s for s in book.worksheets if isinstance(s, ReadOnlyWorksheet)]
        for sheet in sheets:
            yield _sheet_table(book, sheet)
    except UploadRefused:
        raise
    except Exception as error:  # openpyxl fails on damaged files with many kinds of error, all "unreadable"
        if _caused_by_xml_trick(error):
            raise UploadRefused(_("The workbook contains XML entity declarations, which are refused.")) from None
        logger.info("Unreadable XLSX upload", exc_info=True)
        raise UploadRefused(_("The workbook could not be read; it may be damaged.")) from None
    finally:
        if book is not None:
            book.close()  # a read-only workbook keeps its archive open until closed


def _sheet_table(book, sheet: ReadOnlyWorksheet) -> Table:
    """Return the sheet's non-blank rows, reading only the cells its XML holds, within the caps."""
    if (sheet.max_row or 0) > EXCEL_ROWS or (sheet.max_column or 0) > EXCEL_COLUMNS:
        raise UploadRefused(_("The sheet “%(sheet)s” claims more rows or columns than a spreadsheet can have; it was "
                              "not read.") % {"sheet": sheet.title})
    max_columns, kept_rows = settings.FIGURES_IMPORT_MAX_COLUMNS, settings.FIGURES_IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS
    max_cells = kept_rows * max_columns
    source = sheet._get_source()
    parser = _CellReader(source, book.shared_strings, data_only=True, epoch=book.epoch,
                         date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
    rows, total, cells_read = [], 0, 0
    try:
        for number, cells in parser.parse():
            cells_read += len(cells)
            if cells_read > max_cells:
                raise UploadRefused(_("The sheet “%(sheet)s” holds more than %(n)s cells; it was not read further.")
                                    % {"sheet": sheet.title, "n": f"{max_cells:,}"})
            texts: dict[int, str] = {}
            for cell in cells:
                where = f"{get_column_letter(cell['column'])}{cell['row']}"
                if cell["value"] is NO_CACHED_VALUE:
                    raise UploadRefused(_("Cell %(cell)s of “%(sheet)s” holds a formula saved without its result. "
                                          "Open the file in Excel or WPS, save it again, and upload it.")
                                        % {"cell": where, "sheet": sheet.title})
                text = cell_text(cell["value"])
                if not text:
                    continue  # stray formatting or spaces, wherever they are
                if cell["column"] > max_columns:
                    raise UploadRefused(_("Cell %(cell)s of “%(sheet)s” holds “%(text)s”, beyond column %(last)s; "
                                          "delete it or move it into the table.")
                                        % {"cell": where, "sheet": sheet.title, "text": text[:20],
                                           "last": get_column_letter(max_columns)})
                texts[cell["column"]] = text
            if not texts:
                continue
            total += 1
            if len(rows) < kept_rows:
                width = max(texts)
                rows.append((number, [texts.get(c, "") for c in range(1, width + 1)]))
    finally:
        source.close()
    return Table(sheet.title, rows, total)


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


# --- CSV --------------------------------------------------------------------------------------------------------

def _csv_text(content: bytes) -> str:
    not_csv = _("The file is not CSV text in UTF-8 or GB18030, though its name says so.")
    if b"\x00" in content:  # text never holds NUL bytes; a workbook or an image renamed .csv does
        raise UploadRefused(not_csv)
    for encoding in ("utf-8-sig", "gb18030"):  # Chinese Excel saves CSV in GB18030 (GBK)
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadRefused(not_csv)


def _csv_rows(text: str, separator: str) -> list[list[str]]:
    try:
        # The csv module rather than tablib's loader: tablib drops blank lines, which would shift row numbers.
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error:
        raise UploadRefused(_("The file is not CSV text in UTF-8 or GB18030, though its name says so.")) from None


def _csv_tables(content: bytes) -> Iterator[Table]:
    """Yield the file as a table under the separator that finds its header row (the comma when none does)."""
    text = _csv_text(content)
    if not text.strip():
        raise UploadRefused(_("The file is empty."))
    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    separator = next((s for s in SEPARATORS if _header(_table("", _csv_rows(head, s))) is not None), ",")
    yield _table("", _csv_rows(text, separator))


def _table(name: str, rows: list[list[str]]) -> Table:
    kept = [(n, [cell.strip() for cell in row]) for n, row in enumerate(rows, start=1) if any(c.strip() for c in row)]
    return Table(name, kept, len(kept), strict_width=True)


# --- the header row and the lines under it ------------------------------------------------------------------------

def _fold(header: object) -> str:
    return " ".join(str(header or "").split()).casefold()


def _column_names() -> dict[str, str]:
    """Return every accepted header (folded) and the column it means: a FIXED_COLUMNS key or a metric code."""
    names = {_fold(n): key for key, aliases in FIXED_COLUMNS.items() for n in aliases}
    for metric in metrics.ENTERED:
        names.update({_fold(n): metric.code for n in (metric.label_zh, metric.label_en, metric.code,
                                                       *metric.header_aliases)})
    return names


def _header(table: Table) -> int | None:
    """Return the index in `table.rows` of the header row: the first naming both the employee number and the week."""
    names = _column_names()
    for index, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        keys = {names.get(_fold(c)) for c in cells}
        if {"employee_number", "week"} <= keys:
            return index
    return None


def _best_guess(tables: list[Table]) -> tuple[Table, int] | None:
    """Return the sheet and row most like a header (the most known column names), to say what the file holds."""
    names, best, score = _column_names(), None, -1
    for table in tables:
        for index, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
            known = sum(1 for c in cells if _fold(c) in names)
            if known > score:
                best, score = (table, index), known
    return best


def _lines(file_name: str, tables: Iterator[Table]) -> ParsedSheet:
    seen: list[Table] = []
    for table in tables:
        index = _header(table)
        if index is not None:
            return _under_header(file_name, table, index)
        seen.append(table)
    guess = _best_guess(seen)
    if guess is None:
        raise UploadRefused(_("The file has no rows of figures."))
    table, index = guess
    names = _column_names()
    found = {names.get(_fold(c)) for c in table.rows[index][1]}
    required = [(EMPLOYEE_NUMBER, "employee_number"), (WEEK, "week")]
    missing = [header for header, key in required if key not in found]
    missing += [m.label_zh for m in metrics.ENTERED if m.code not in found]
    raise UploadRefused(_missing_message(missing, table, index))


def _missing_message(missing: list[str], table: Table, index: int) -> str:
    number, cells = table.rows[index]
    found = "、".join(c for c in cells if c)[:300]
    where = (_("row %(row)s of the sheet “%(sheet)s”") % {"row": number, "sheet": table.name} if table.name
             else _("row %(row)s") % {"row": number})
    return (_("The file lacks these columns: %(columns)s.") % {"columns": "、".join(missing)} + " "
            + _("The header row looked for was %(where)s, which holds: %(found)s.") % {"where": where, "found": found})


def _under_header(file_name: str, table: Table, index: int) -> ParsedSheet:
    names, columns, positions, ignored = _column_names(), {}, {}, []
    header_row, header = table.rows[index]
    for position, text in enumerate(header):
        key = names.get(_fold(text))
        if key is None:
            if _fold(text):
                ignored.append(text)
            continue
        if key in columns:
            raise UploadRefused(_("The columns “%(first)s” and “%(second)s” mean the same; keep one.")
                                % {"first": columns[key], "second": text})
        columns[key], positions[key] = text, position
    missing = [m.label_zh for m in metrics.ENTERED if m.code not in columns]
    if missing:
        raise UploadRefused(_missing_message(missing, table, index))
    data_rows = table.total_rows - index - 1
    if data_rows > settings.FIGURES_IMPORT_MAX_ROWS:
        raise UploadRefused(_("The file has %(n)s rows; up to %(limit)s are accepted at once.")
                            % {"n": data_rows, "limit": settings.FIGURES_IMPORT_MAX_ROWS})
    lines = []
    for number, row in table.rows[index + 1:]:
        if table.strict_width and len(row) > len(header) and any(row[len(header):]):
            raise UploadRefused(_("Row %(row)s has more cells than the header row.") % {"row": number})
        cells = {key: row[p] if p < len(row) else "" for key, p in positions.items()}
        if not any(cells.values()):
            continue  # a line with text only outside the columns read (a note beside the table)
        lines.append(SheetLine(number, cells["employee_number"], cells.get("name", ""), cells["week"],
                               {m.code: cells[m.code] for m in metrics.ENTERED}))
    if not lines:
        raise UploadRefused(_("The file has no rows of figures."))
    return ParsedSheet(file_name, columns, lines, ignored)
