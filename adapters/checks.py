"""What a `dojobot check` probe of one configured part found: one line, ok or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "warn", "FAIL"]


@dataclass(frozen=True)
class CheckResult:
    """One part's verdict. `text` says what was found, or what is wrong and what to do; it
    never carries a secret. `warn` is printed but does not fail the check."""

    part: str
    status: Status
    text: str

    @property
    def failed(self) -> bool:
        return self.status == "FAIL"

    def line(self) -> str:
        """`ok   database  sqlite, schema at version 5` (one line, whatever `text` holds)."""
        return f"{self.status:<4} {self.part:<9} {' '.join(self.text.split())}"


def ok(part: str, text: str) -> CheckResult:
    return CheckResult(part, "ok", text)


def warn(part: str, text: str) -> CheckResult:
    return CheckResult(part, "warn", text)


def fail(part: str, text: str) -> CheckResult:
    return CheckResult(part, "FAIL", text)
