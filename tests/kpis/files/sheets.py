"""Build the XLSX and CSV files the import tests upload, and read back the files the pages return."""

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from kpis import metrics
from teams.models import Employee

# A week's figures in registry order: new, engaged, opened, new-customer deposits, existing deposits, volume.
FIGURES = ("3", "5", "2", "10000.50", "5000", "80000")


def headers(english: bool = False) -> list[str]:
    if english:
        return ["employee number", "name", "week", *[m.label_en for m in metrics.ENTERED]]
    return ["工号", "姓名", "周", *[m.label_zh for m in metrics.ENTERED]]


def line(rep: Employee, week: date | str, *figures: str) -> list[str]:
    return [rep.employee_number, rep.name, str(week), *(figures or FIGURES)]


def xlsx(rows: Sequence[Sequence], head: Sequence[str] | None = None, name: str = "figures.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(head or headers()))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows: Sequence[Sequence], head: Sequence[str] | None = None, name: str = "figures.csv",
             encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(head or headers())
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding))


def billion_laughs() -> SimpleUploadedFile:
    """Return a real workbook whose sheet XML declares nested entities that would expand to gigabytes."""
    source = xlsx([["T1", "x", "2017-03-06", *FIGURES]])
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{entities}]>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source.read())) as original, zipfile.ZipFile(out, "w") as bomb:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (doctype + data.decode().replace("<t>x</t>", "<t>&lol9;</t>")).encode()
            bomb.writestr(item, data)
    return SimpleUploadedFile("figures.xlsx", out.getvalue())


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]
