"""Spreadsheet fixtures for the import and export tests, generated in code (no binaries committed)."""
