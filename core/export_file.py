"""A file the bot hands to a member in chat (an export): name, type, bytes, a title."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.i18n import Text, t

SAFE_FILENAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
"""What a file name may be: no path separators, no spaces, nothing a platform would mangle."""


@dataclass(frozen=True)
class ExportFile:
    """One file for `ChatDelivery.send_file`.

    `filename` is a plain name (letters, digits, `.`, `_`, `-`; at most 100 characters),
    `content_type` its media type (`text/csv; charset=utf-8`), `data` the bytes and `title`
    the line shown with it, written in `locale` (the member's language; None: the
    association's) where the platform shows one.
    """

    filename: str
    content_type: str
    data: bytes
    title: Text
    locale: str | None = None

    def __post_init__(self) -> None:
        if not SAFE_FILENAME.fullmatch(self.filename):
            raise ValueError(f"not a plain file name: {self.filename!r}")

    def sent_line(self) -> Text:
        """The chat reply once the file is sent to the member who asked."""
        return t(
            "{title}: sent to you privately as {filename}.",
            title=self.title,
            filename=self.filename,
        )

    @property
    def size(self) -> int:
        """The file's length in bytes."""
        return len(self.data)
