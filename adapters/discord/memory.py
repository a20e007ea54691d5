"""Small facts the Discord front end keeps across restarts, in one append-only JSON-lines file.

- DM channels already opened (user → channel), so a restart does not re-open them;
- (member, session) pairs whose DMs Discord refused, so no further DM is attempted for that
  session, and those already mentioned once in the channel instead;
- the fingerprint of the last slash-command set registered per scope (sync only on change).

Losing the file costs a few requests, never correctness. Without a directory it lives in memory.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)


class DiscordMemory:
    """Append-only key/value facts; the last line for a key wins."""

    FILE_NAME = "discord-state.jsonl"

    def __init__(self, directory: Path | None = None) -> None:
        self.dm_channels: dict[int, int] = {}
        self.refused: set[tuple[str, str]] = set()
        self.mentioned: set[tuple[str, str]] = set()
        self.command_digests: dict[str, str] = {}
        self._file: IO[str] | None = None
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / self.FILE_NAME
            if path.exists():
                self._load(path)
            self._file = path.open("a", encoding="utf-8")

    def _load(self, path: Path) -> None:
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                self._apply(json.loads(line))
            except (ValueError, KeyError, TypeError):
                log.warning("skipping an unreadable line in %s", path)

    def _apply(self, fact: dict[str, str]) -> None:
        kind = fact["k"]
        if kind == "dm":
            self.dm_channels[int(fact["user"])] = int(fact["channel"])
        elif kind == "refused":
            self.refused.add((fact["member"], fact["session"]))
        elif kind == "mentioned":
            self.mentioned.add((fact["member"], fact["session"]))
        elif kind == "commands":
            self.command_digests[fact["scope"]] = fact["digest"]

    def _record(self, fact: dict[str, str]) -> None:
        self._apply(fact)
        if self._file is not None:
            self._file.write(json.dumps(fact) + "\n")
            self._file.flush()

    def remember_dm_channel(self, user_id: int, channel_id: int) -> None:
        if self.dm_channels.get(user_id) != channel_id:
            self._record({"k": "dm", "user": str(user_id), "channel": str(channel_id)})

    def remember_refused(self, member_id: str, session_id: str) -> None:
        if (member_id, session_id) not in self.refused:
            self._record({"k": "refused", "member": member_id, "session": session_id})

    def remember_mentioned(self, member_id: str, session_id: str) -> None:
        if (member_id, session_id) not in self.mentioned:
            self._record({"k": "mentioned", "member": member_id, "session": session_id})

    def remember_commands(self, scope: str, digest: str) -> None:
        self._record({"k": "commands", "scope": scope, "digest": digest})

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
