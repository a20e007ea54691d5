"""Each benchmark's generated section of BENCHMARKS.md, between its own two markers."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS_MD = REPO / "BENCHMARKS.md"


def markers(benchmark: str) -> tuple[str, str]:
    """The begin and end markers of `benchmark`'s section (e.g. "footprint")."""
    return (
        f"<!-- bench.{benchmark}: begin (generated; rerun to update) -->",
        f"<!-- bench.{benchmark}: end -->",
    )


def write_section(benchmark: str, section: str, path: Path = BENCHMARKS_MD) -> None:
    """Replace `benchmark`'s generated section of BENCHMARKS.md (appended if there is none)."""
    begin, end = markers(benchmark)
    block = f"{begin}\n{section}{end}\n"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        text = f"{head}{block}" + (f"\n{tail}" if tail else "")
    else:
        text = text.rstrip("\n") + f"\n\n{block}"
    path.write_text(text)
