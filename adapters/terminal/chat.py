"""ChatDelivery for the terminal: DMs, channel posts and announcements, clearly labelled."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from adapters.terminal.directory import TerminalDirectory
from adapters.terminal.render import button_lines, notice_text, session_card
from core.clock import Clock
from core.errors import DeliveryRefused
from core.export_file import ExportFile
from core.i18n import EnglishOnly, Languages, localize
from core.model import Origin
from core.notices import Notice
from core.timeparse import format_when
from core.views import AnnouncementView


class TerminalChat:
    """Prints what would go into chat: `[DM → ana]`, `[#dojo]`, `[#dojo · announcement …]`."""

    def __init__(
        self,
        write: Callable[[str], None],
        directory: TerminalDirectory,
        clock: Clock,
        languages: Languages | None = None,
        exports_dir: Path = Path("data") / "exports",
    ) -> None:
        self._languages: Languages = languages or EnglishOnly()
        self._exports_dir = exports_dir
        self._write = write
        self._directory = directory
        self._clock = clock
        self._markers: set[tuple[str, str]] = set()

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        name = self._directory.name_of(member_id)
        tz = self._directory.timezone_of(member_id)
        text = notice_text(notice, tz, self._languages.translator(notice.locale))
        lines = [f"{self._stamp(tz)} [DM → {name}] {text}"]
        lines.append(f"    starts {format_when(notice.session.start_time, tz, self._clock.now())}")
        if notice.show_join:
            lines.append(f"    [Join] → type /join {notice.session.id} (as {name})")
        lines += self._buttons(notice)
        self._emit(lines)
        if notice.delivery_marker is not None:
            self._markers.add((member_id, notice.delivery_marker))

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        """Whether this terminal printed that DM (its screen is the platform's history)."""
        return (member_id, marker) in self._markers

    async def send_file(self, member_id: str, file: ExportFile) -> None:
        """Writes the file under the exports directory (never over an earlier one) and
        prints its path in the member's DM."""
        try:
            path = await asyncio.to_thread(_write_new, self._exports_dir, file)
        except OSError as error:
            raise DeliveryRefused(
                f"cannot write {self._exports_dir / file.filename}: {error.strerror}",
                "Check DOJOBOT_DATA_DIR is writable.",
            ) from error
        name = self._directory.name_of(member_id)
        tz = self._directory.timezone_of(member_id)
        self._emit([f"{self._stamp(tz)} [DM → {name}] {file.title}: {path} ({file.size} bytes)"])

    async def post_to_channel(self, origin: Origin, notice: Notice) -> None:
        tz = self._directory.default_timezone
        mention = (
            f"@{self._directory.name_of(notice.mention_member_id)} "
            if notice.mention_member_id
            else ""
        )
        text = notice_text(notice, tz, self._languages.translator(notice.locale))
        head = f"{self._stamp(tz)} [#{origin.channel_id} · everyone] {mention}{text}"
        self._emit([head, *self._buttons(notice)])

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        session = view.session
        assert session.origin is not None
        ref = session.origin.message_ref or f"announcement-{session.id}"
        edited = "edited" if session.origin.message_ref else "new"
        tz = self._directory.default_timezone
        seats = view.seats_text
        view_text = session_card(session, seats, tz, self._clock.now())
        head = f"{self._stamp(tz)} [#{session.origin.channel_id} · everyone · {ref} ({edited})]"
        self._emit([head] + [f"    {line}" for line in view_text])
        return ref

    def _buttons(self, notice: Notice) -> list[str]:
        """The notice's buttons as lines to type, in the notice's language."""
        tr = self._languages.translator(notice.locale)
        return [localize(line, tr) for line in button_lines(notice.buttons, "    ")]

    def _stamp(self, tz: str) -> str:
        return f"  {format_when(self._clock.now(), tz)} |"

    def _emit(self, lines: list[str]) -> None:
        for line in lines:
            self._write(line)


def _write_new(folder: Path, file: ExportFile) -> Path:
    """Writes `file` as a new file in `folder` (`name-2.csv`… when the name is taken)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, dot, suffix = file.filename.rpartition(".")
    if not dot:
        stem, suffix = file.filename, ""
    for n in range(1, 1000):
        name = file.filename if n == 1 else f"{stem}-{n}{dot}{suffix}"
        try:
            with (folder / name).open("xb") as out:
                out.write(file.data)
        except FileExistsError:
            continue
        return (folder / name).resolve()
    raise FileExistsError(f"too many exports named {file.filename} in {folder}")
