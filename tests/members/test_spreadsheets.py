"""One CSV writer for every export: formula cells become text."""

import csv
import io

import pytest

from members.spreadsheets import SafeCsvWriter, csv_cell, csv_stream


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("  =1", "'  =1"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        (5, 5),
        ("", ""),
    ],
)
def test_a_formula_cell_is_written_as_text(value, written):
    assert csv_cell(value) == written


def test_the_writer_and_the_stream_escape_every_cell():
    out = io.StringIO()
    SafeCsvWriter(out).writerows([["=1+1", "ok"]])
    streamed = "".join(csv_stream([["@x", 3]]))

    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "ok"]]
    assert list(csv.reader(io.StringIO(streamed))) == [["'@x", "3"]]
