"""CSV text for exports (`core.csv_export`): RFC 4180 quoting, CRLF, the header first,
chunks of `BATCH` rows, and the spreadsheet formula-injection guard."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence

from core.csv_export import BATCH, csv_rows, csv_rows_async, guard_cell


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_header_first_then_rows_with_crlf_and_rfc4180_quoting() -> None:
    text = "".join(csv_rows(["name", "note"], [["Zoë", 'said "hi", then left'], ["a\nb", 3]]))
    assert text == 'name,note\r\nZoë,"said ""hi"", then left"\r\n"a\nb",3\r\n'
    assert parsed(text) == [["name", "note"], ["Zoë", 'said "hi", then left'], ["a\nb", "3"]]


def test_formula_like_text_gets_a_quote_but_numbers_stay_numbers() -> None:
    cells: Sequence[object] = (
        "=HYPERLINK(1)",
        "+1",
        "-2",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "a=b",
        -5,
        2.5,
    )
    text = "".join(csv_rows(["c"] * len(cells), [cells]))
    row = parsed(text)[1]
    assert row[:6] == ["'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx"]
    assert row[6:] == ["a=b", "-5", "2.5"]
    assert guard_cell(None) is None


def test_empty_cells_for_none_and_header_only_without_rows() -> None:
    assert "".join(csv_rows(["a", "b"], [[None, "x"]])) == "a,b\r\n,x\r\n"
    assert list(csv_rows(["a", "b"], [])) == ["a,b\r\n"]


def test_rows_come_in_chunks_of_batch_rows() -> None:
    chunks = list(csv_rows(["n"], ([i] for i in range(2 * BATCH + 1))))
    assert [chunk.count("\r\n") for chunk in chunks] == [1, BATCH, BATCH, 1]


async def test_async_rows_give_the_same_text_in_the_same_chunks() -> None:
    async def rows() -> AsyncIterator[list[object]]:
        for i in range(BATCH + 2):
            yield [i, "=x"]

    chunks = [chunk async for chunk in csv_rows_async(["n", "f"], rows())]
    assert chunks == list(csv_rows(["n", "f"], ([i, "=x"] for i in range(BATCH + 2))))
    assert [chunk.count("\r\n") for chunk in chunks] == [1, BATCH, 2]
