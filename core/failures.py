"""The error boundary every front end shares: an unexpected error gets a reference.

The member who acted reads "Something went wrong (ref 7F3A2C). …"; the traceback is logged
once, carrying the same reference, so an admin can find it. The process keeps serving.
"""

from __future__ import annotations

import logging
import secrets

from core.i18n import Text, t

FAILURE_PREFIX = "Something went wrong"


def new_ref() -> str:
    """A short reference for one failure, e.g. `7F3A2C` (6 hex digits)."""
    return secrets.token_hex(3).upper()


def failure_text(ref: str) -> Text:
    """What the member reads about an unexpected error with reference `ref` (it starts
    with FAILURE_PREFIX in English)."""
    return t(
        "Something went wrong (ref {ref}). It is logged; please try again, and if it keeps "
        "happening tell an admin the ref.",
        ref=ref,
    )


def report_failure(logger: logging.Logger, what: str) -> str:
    """Log the exception being handled, with a new reference, and return that reference.

    Call it from an `except` block; `what` names what failed (`terminal command`…).
    """
    ref = new_ref()
    logger.exception("%s failed (ref %s)", what, ref)
    return ref
