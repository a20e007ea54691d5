"""core.failures: an unexpected error gets a short ref, logged once with its traceback."""

from __future__ import annotations

import logging
import re

import pytest

from core.failures import failure_text, report_failure


def test_a_failure_is_logged_once_with_the_ref_the_member_reads(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("tests.failures")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        ref = report_failure(log, "a command")
    assert re.fullmatch(r"[0-9A-F]{6}", ref)
    [record] = caplog.records
    assert record.getMessage() == f"a command failed (ref {ref})" and record.exc_info
    assert failure_text(ref).startswith(f"Something went wrong (ref {ref}). ")
