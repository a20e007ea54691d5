"""The terminal prompt: the shared slash commands plus a few terminal-only ones."""

from __future__ import annotations

import logging
import shlex
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

from adapters.terminal.directory import PLATFORM, TerminalDirectory
from adapters.terminal.render import outcome_lines
from core import log_context
from core.commands import Help, JoinSession
from core.errors import DojoError, InvalidInput
from core.executor import CommandExecutor, HelpOutcome, JoinOutcome
from core.failures import failure_text, report_failure
from core.grammar import parse_command
from core.i18n import EnglishOnly, Languages, joined, localize
from core.members import PlatformFacts
from core.model import Member, Origin, Role
from core.time_travel import TimeTravel
from core.timeparse import format_duration, format_when, parse_duration, valid_timezone

log = logging.getLogger(__name__)

TERMINAL_HELP = """\
Terminal only:
  /as <name> <admin|instructor|member|guest> [zone]
      Act as someone, e.g. /as ana member Europe/Berlin
  /whoami              who you are acting as
  /now                 the (simulated) time
  /advance <duration>  move time forward, firing what falls due, e.g. /advance 23h50m
  /leave <id>          leave a session's room (attendance)
  /quit                stop dojobot"""

MAX_ADVANCE = timedelta(days=400)
"""The longest single /advance (every duty due on the way runs, so it must stay bounded)."""

ROLE_HINT = (
    "Type /as <name> <role> [zone], e.g. /as sensei instructor or /as ana member Europe/Berlin"
)


class TerminalConsole:
    """Reads lines, runs them as the current member, and prints who sees what.

    `time` tells the service's time and moves it for `/advance` (the wiring gives the alarm).
    `actor` is who the terminal user said they are (`/as`); every command runs as the member
    the core knows them as (`service.identify`: their profile, possibly linked to another
    platform's account).
    """

    def __init__(
        self,
        executor: CommandExecutor,
        time: TimeTravel,
        directory: TerminalDirectory,
        write: Callable[[str], None],
        channel: str = "dojo",
        languages: Languages | None = None,
    ) -> None:
        self.languages: Languages = languages or EnglishOnly()
        self.locale: str | None = None
        """The language of the member acting (from their profile), for every reply."""
        self.executor = executor
        self.time = time
        self.directory = directory
        self.write = write
        self.channel = channel
        self.actor: Member = directory.act_as("admin", Role.ADMIN)

    def origin(self) -> Origin:
        """Where a command is typed: a fresh Origin each time, since each session's
        announcement reference is kept on its own origin."""
        return Origin(platform=PLATFORM, workspace_id="local", channel_id=self.channel)

    async def run(self, lines: AsyncIterator[str], echo: bool) -> None:
        """Handle lines until /quit or the end of input; `echo` repeats each line (scripts)."""
        async for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if echo:
                self.write(f"{self.actor.display_name}> {line}")
            if not await self.handle(line):
                return

    async def handle(self, line: str) -> bool:
        """Run one line (its log lines carry a request id of their own); False means quit."""
        with log_context.bound(request_id=log_context.new_request_id()):
            return await self._handle(line)

    async def _handle(self, line: str) -> bool:
        parts = line.split(maxsplit=1) or [""]
        word, rest = parts[0].lower().lstrip("/"), parts[1].strip() if len(parts) > 1 else ""
        log.debug("terminal command /%s", word[:32])
        try:
            match word:
                case "quit" | "exit":
                    return False
                case "as":
                    self._act_as(rest)
                case "whoami":
                    self._reply(f"You are {self._who(await self.identify())}.")
                case "now":
                    self._reply(f"It is {format_when(self.time.now(), self.actor.timezone)}.")
                case "advance":
                    await self._advance(rest)
                case "leave":
                    await self.executor.service.record_leave(await self.identify(), rest)
                    self._reply(f"You left the room of session {rest}.")
                case _:
                    await self._run_shared(line, await self.identify())
        except DojoError as error:
            self._reply(error.user_text(), error=True)
        except Exception:
            self._reply(failure_text(report_failure(log, f"terminal command {word!r}")), True)
        return True

    async def identify(self) -> Member:
        """The terminal user as the core knows them: their profile, created or refreshed
        from what the terminal knows (name, zone), under their linked profile if any."""
        facts = PlatformFacts(
            member_id=self.actor.id,
            display_name=self.actor.display_name,
            timezone=self.actor.timezone,
            front_end="terminal",
        )
        member = await self.executor.service.identify(facts, self.actor.role)
        self.locale = member.locale
        return member

    async def _run_shared(self, line: str, member: Member) -> None:
        command = parse_command(line, self.time.now(), member.timezone)
        outcome = await self.executor.execute(member, command, self.origin())
        if isinstance(outcome, JoinOutcome) and isinstance(command, JoinSession):
            await self.executor.service.record_join(member, command.session_id)
        if isinstance(outcome, HelpOutcome) and isinstance(command, Help) and not command.topic:
            outcome = HelpOutcome(text=joined([outcome.text, TERMINAL_HELP]))
        lines = outcome_lines(outcome, member.timezone, self.time.now())
        tr = self.languages.translator(member.locale)
        self._reply("\n".join(localize(line, tr) for line in lines))

    def _act_as(self, rest: str) -> None:
        try:
            parts = shlex.split(rest)
        except ValueError:
            raise InvalidInput("A quote is not closed.", ROLE_HINT) from None
        if len(parts) not in (2, 3):
            raise InvalidInput("/as needs a name and a role.", ROLE_HINT)
        name, role_text = parts[0], parts[1].lower()
        try:
            role = Role(role_text)
        except ValueError:
            raise InvalidInput(f"Unknown role “{parts[1]}”.", ROLE_HINT) from None
        zone = valid_timezone(parts[2]) if len(parts) == 3 else None
        self.actor = self.directory.act_as(name, role, zone)
        self._reply(f"You are now {self._who(self.actor)}.")

    async def _advance(self, rest: str) -> None:
        if not rest:
            raise InvalidInput("/advance needs a duration.", "For example: /advance 23h50m")
        delta = parse_duration(rest)
        if delta <= timedelta():
            raise InvalidInput("Time only moves forward.", "For example: /advance 1h")
        if delta > MAX_ADVANCE:
            raise InvalidInput(
                f"/advance moves at most {MAX_ADVANCE.days} days at once; "
                f"{format_duration(delta)} is too far.",
                f"Advance in steps, e.g. /advance {MAX_ADVANCE.days}d",
            )
        await self.time.advance(delta)
        now = format_when(self.time.now(), self.actor.timezone)
        self._reply(f"Advanced {format_duration(delta)}; it is now {now}.")

    def _who(self, member: Member) -> str:
        linked = f", linked into profile {member.id}" if member.platform_id is not None else ""
        return f"{member.display_name} ({member.role.value}, {member.timezone}{linked})"

    def _reply(self, text: str, error: bool = False) -> None:
        label = "error · only you" if error else "only you"
        lines = localize(text, self.languages.translator(self.locale)).splitlines() or [""]
        self.write(f"  [{label}] {lines[0]}")
        for line in lines[1:]:
            self.write(f"    {line}")
