"""The documentation's relative links resolve, and nothing in the repo points outside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.MULTILINE)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)

OUTSIDE = re.compile(r"\.\./shared\b|/work/(?:shared|main)\b")
"""Paths outside the repository that no file may mention (no clone has them)."""
SKIPPED_DIRS = {
    ".git",
    ".venv",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "__pycache__",
    "node_modules",
    "data",
    "test-artifacts",
}


def _prose(markdown: str) -> str:
    """The text with fenced code blocks and code spans removed (links there are examples)."""
    return _CODE_SPAN.sub("", _FENCE.sub("", markdown))


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """Every heading anchor of a markdown text (repeats get -1, -2 … as on GitHub)."""
    seen: dict[str, int] = {}
    found: set[str] = set()
    for heading in _HEADING.findall(_FENCE.sub("", markdown)):
        slug = anchor(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(markdown: str) -> list[str]:
    """The targets of every inline and reference link outside code."""
    prose = _prose(markdown)
    return _LINK.findall(prose) + _REFERENCE.findall(prose)


def broken_links(source: Path, root: Path = ROOT) -> list[str]:
    """The relative link targets in `source` that do not resolve inside `root`."""
    broken: list[str] = []
    for target in links(source.read_text(encoding="utf-8")):
        if _EXTERNAL.match(target):
            continue
        path_part, _, fragment = target.partition("#")
        resolved = (source.parent / path_part).resolve() if path_part else source
        if not resolved.is_relative_to(root) or not resolved.exists():
            broken.append(target)
            continue
        text = resolved.read_text(encoding="utf-8") if resolved.suffix == ".md" else ""
        if fragment and text and fragment not in anchors(text):
            broken.append(target)
    return broken


def _repository_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for path in root.rglob("*"):
        relative = path.relative_to(root).parts
        if any(part in SKIPPED_DIRS or part.endswith(".egg-info") for part in relative):
            continue
        if path.is_file() and path.stat().st_size < 2_000_000:
            files.append(path)
    return files


def outside_references(root: Path = ROOT) -> list[str]:
    """`file:line` of every mention of a path outside the repository."""
    found: list[str] = []
    for path in _repository_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(root)}:{number}")
    return found


@pytest.mark.parametrize("page", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    assert broken_links(page) == []


def test_docs_exist() -> None:
    names = {p.name for p in DOCS}
    assert {"README.md", "architecture.md"} <= names
    assert len(DOCS) > 2


def test_readme_is_short_and_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert "make run" in readme and "make test" in readme


def test_nothing_refers_to_a_path_outside_the_repository() -> None:
    assert outside_references() == []


def test_the_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "there.md").write_text("# Real heading\n", encoding="utf-8")
    page = tmp_path / "docs" / "page.md"
    page.write_text(
        "[ok](../there.md) [ok too](../there.md#real-heading) [web](https://example.org)\n"
        "[gone](missing.md) [bad anchor](../there.md#nope) [out](../../elsewhere.md)\n"
        "[self](#here)\n\n## Here\n\n`[in code](nowhere.md)`\n"
        "```\n[in a fence](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page, tmp_path) == ["missing.md", "../there.md#nope", "../../elsewhere.md"]
    (tmp_path / "notes.py").write_text("see " + "../" + "shared/x.md\n", encoding="utf-8")
    assert outside_references(tmp_path) == ["notes.py:1"]
