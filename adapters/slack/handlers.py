"""What each Slack request does: ack at once, then the real work as a tracked job.

Every listener acknowledges before doing anything slow (Slack's 3 s limit, and bolt's
`process_before_response` returns the ack as soon as the listener returns). The work then
runs in the background: open the modal right away (its trigger_id lives ~3 s), or parse the
command, run it through the shared executor and reply privately. Refusals reach the member
as ephemeral messages that say what to type instead.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app_home import AppHome
from adapters.slack.command_buttons import is_command_action
from adapters.slack.commands import SLASH_COMMANDS, grammar_line
from adapters.slack.directory import SlackDirectory
from adapters.slack.ids import PLATFORM, team_of
from adapters.slack.jobs import JobRunner
from adapters.slack.member_commands import FORGET_ME, LINK, REMINDERS, MemberCommands
from adapters.slack.render_common import (
    ACTION_CANCEL,
    ACTION_EVERY_WEEK,
    ACTION_GOING,
    ACTION_JOIN,
    ACTION_LEAVE,
    Block,
)
from adapters.slack.render_members import ACTION_FORGET_CONFIRM
from adapters.slack.render_modal import CALLBACK_SCHEDULE, schedule_modal
from adapters.slack.render_outcome import (
    error_message,
    failure_message,
    failure_text,
    outcome_message,
)
from adapters.slack.render_preferences import PREFERENCE_ACTIONS
from adapters.slack.render_series_modal import CALLBACK_SERIES_FORM, CALLBACK_SERIES_PREVIEW
from adapters.slack.respond import ReplyTo, Responder
from adapters.slack.schedule_form import read_schedule_form, submission_channel
from adapters.slack.series_modal import SeriesModal
from adapters.slack.words import t
from core.clock import Clock
from core.commands import (
    CancelSession,
    Command,
    JoinSession,
    RsvpGoing,
    RsvpLeave,
    StandRsvp,
)
from core.errors import DojoError, InvalidInput
from core.executor import CommandExecutor
from core.failures import report_failure
from core.grammar import USAGE, parse_command
from core.i18n import EnglishOnly, Languages, Translator
from core.model import Member, Origin

log = logging.getLogger(__name__)

TRANSLATOR_WITHIN = 1.0
"""Seconds a modal submission may spend finding the member's language before its ack."""

_BUTTONS: dict[str, Callable[[str], Command]] = {
    ACTION_GOING: lambda sid: RsvpGoing(session_id=sid),
    ACTION_LEAVE: lambda sid: RsvpLeave(session_id=sid),
    ACTION_JOIN: lambda sid: JoinSession(session_id=sid),
    ACTION_CANCEL: lambda sid: CancelSession(session_id=sid),
    ACTION_EVERY_WEEK: lambda series_id: StandRsvp(series_id=series_id),
}
"""Buttons that run a command; the others (calendar, room link) are URL buttons."""


class SlackHandlers:
    """Registers dojobot's listeners on a Bolt app and does their work after the ack."""

    def __init__(
        self,
        executor: CommandExecutor,
        directory: SlackDirectory,
        responder: Responder,
        client: AsyncWebClient,
        jobs: JobRunner,
        clock: Clock,
        public_url: str,
        languages: Languages | None = None,
    ) -> None:
        self.languages: Languages = languages or EnglishOnly()
        self.executor = executor
        self.directory = directory
        self.responder = responder
        self.client = client
        self.jobs = jobs
        self.clock = clock
        self.public_url = public_url
        self.series_modal = SeriesModal(
            executor, directory, client, jobs, clock, self._run, self._reply, self.languages
        )
        self.app_home = AppHome(
            executor.service, directory, client, jobs, self._reply, self.languages
        )
        self.members = MemberCommands(
            executor.service, directory, jobs, self._reply, self.languages
        )

    def register(self, app: AsyncApp) -> None:
        # Bolt runs the first listener that matches: the specific ones come first
        app.command(LINK)(self.members.on_command)
        app.command(FORGET_ME)(self.members.on_command)
        app.command(REMINDERS)(self.on_reminders)
        for name in SLASH_COMMANDS:
            if name not in (LINK, FORGET_ME, REMINDERS):
                app.command(name)(self.on_command)
        app.action(ACTION_FORGET_CONFIRM)(self.members.on_confirm)
        for action_id in sorted(PREFERENCE_ACTIONS):
            app.action(action_id)(self.app_home.on_change)
        app.action(re.compile(r"^dojo_"))(self.on_action)
        app.view(CALLBACK_SCHEDULE)(self.on_schedule_submitted)
        app.view(CALLBACK_SERIES_FORM)(self.series_modal.on_form_submitted)
        app.view(CALLBACK_SERIES_PREVIEW)(self.series_modal.on_create)
        app.event("user_change")(self.on_user_change)
        app.event("app_home_opened")(self.app_home.on_opened)

    # listeners (run before the HTTP response: ack first, nothing slow) -----------------
    async def on_command(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        if body["command"] == "/schedule-session" and not body.get("text", "").strip():
            self.jobs.spawn(self.open_schedule_modal(body), urgent=True)
        elif body["command"] == "/schedule-class" and not body.get("text", "").strip():
            self.jobs.spawn(self.series_modal.open(body), urgent=True)
        else:
            self.jobs.spawn(self.run_command(body))

    async def on_reminders(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """`/reminders` alone opens the settings; with text (`set 24h,1h`) it is the grammar's."""
        if str(body.get("text") or "").strip():
            await self.on_command(ack, body)
        else:
            await self.app_home.on_command(ack, body)

    async def on_action(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        action = (body.get("actions") or [{}])[0]
        action_id = str(action.get("action_id", ""))
        make = _BUTTONS.get(action_id)
        if make is not None and action.get("value"):
            self.jobs.spawn(self.run_button(body, make(action["value"])))
        elif is_command_action(action_id) and action.get("value"):
            self.jobs.spawn(self.run_line(body, str(action["value"])))

    async def on_schedule_submitted(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        tr = await self._translator(team_of(body), str(body["user"]["id"]))
        try:
            command, errors = read_schedule_form(body["view"], self.clock.now(), tr)
        except Exception:
            ref = report_failure(log, "Slack schedule form")
            await ack(response_action="errors", errors={"title": failure_text(ref, tr)})
            return
        if command is None:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        channel = submission_channel(body["view"])
        team = team_of(body)
        origin = Origin(platform=PLATFORM, workspace_id=team, channel_id=channel)
        reply = ReplyTo(user_id=body["user"]["id"], channel_id=channel)
        self.jobs.spawn(self._run(team, reply, lambda member: command, origin))

    async def on_user_change(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user = body.get("event", {}).get("user") or {}
        if user.get("id"):
            self.directory.forget(user["id"])

    # work after the ack -----------------------------------------------------------------
    async def open_schedule_modal(self, body: dict[str, Any]) -> None:
        """views.open with the fresh trigger_id; if it expired, say how to schedule inline."""
        tr = self.languages.translator(None)
        try:
            member = await self.directory.member(str(body.get("team_id") or ""), body["user_id"])
            tr = self.languages.translator(member.locale)
            events = await self.executor.service.list_events(member)
            view = schedule_modal(body["channel_id"], self.clock.now(), events, tr)
            await self.client.views_open(trigger_id=body["trigger_id"], view=view)
        except SlackApiError as error:
            log.warning("views.open failed: %s", error.response.get("error"))
            problem = InvalidInput(t("The form couldn't open in time."), USAGE["schedule-session"])
            await self._reply(_command_reply(body), *error_message(problem, tr))
        except Exception:
            message = failure_message(report_failure(log, "Slack schedule form"), tr)
            await self._reply(_command_reply(body), *message)

    async def run_command(self, body: dict[str, Any]) -> None:
        """Parse the command text in the member's zone and run it."""
        team = str(body.get("team_id") or "")
        origin = Origin(platform=PLATFORM, workspace_id=team, channel_id=body.get("channel_id"))

        def parse(member: Member) -> Command:
            line = grammar_line(str(body.get("command")), str(body.get("text") or ""), team)
            return parse_command(line, self.clock.now(), member.timezone)

        await self._run(team, _command_reply(body), parse, origin)

    async def run_button(self, body: dict[str, Any], command: Command) -> None:
        team, reply, origin = _clicked(body)
        await self._run(team, reply, lambda member: command, origin)

    async def run_line(self, body: dict[str, Any], line: str) -> None:
        """A command button (`command_buttons`): its grammar line, parsed in the clicker's
        zone and run as the clicker, with their own rights, exactly as if they had typed
        it; the reply (or refusal) goes only to them, in the DM or channel clicked in."""
        team, reply, origin = _clicked(body)

        def parse(member: Member) -> Command:
            return parse_command(line, self.clock.now(), member.timezone)

        await self._run(team, reply, parse, origin)

    async def _run(
        self,
        team_id: str,
        reply: ReplyTo,
        command_for: Callable[[Member], Command],
        origin: Origin,
    ) -> None:
        """Resolve the member, run the command, reply privately (refusals included, in the
        member's language)."""
        locale: str | None = None
        try:
            member = await self.directory.member(team_id, reply.user_id)
            locale = member.locale
            outcome = await self.executor.execute(member, command_for(member), origin)
            tr = self.languages.translator(locale)
            now = self.clock.now()
            message = outcome_message(outcome, member.timezone, now, self.public_url, tr)
        except DojoError as error:
            message = error_message(error, self.languages.translator(locale))
        except Exception:
            ref = report_failure(log, "Slack request")
            message = failure_message(ref, self.languages.translator(locale))
        await self._reply(reply, *message)

    async def _translator(self, team_id: str, user_id: str) -> Translator:
        """The member's language, looked up within a second (Slack waits 3 s for the ack);
        the association's when that fails."""
        try:
            async with asyncio.timeout(TRANSLATOR_WITHIN):
                member = await self.directory.member(team_id, user_id)
        except Exception:
            return self.languages.translator(None)
        return self.languages.translator(member.locale)

    async def _reply(self, reply: ReplyTo, text: str, blocks: list[Block]) -> None:
        try:
            await self.responder.send(reply, text, blocks)
        except Exception:
            log.exception("could not reply to %s", reply.user_id)


def _clicked(body: dict[str, Any]) -> tuple[str, ReplyTo, Origin]:
    """Who clicked a button, where (team, private reply: response_url first) and its origin."""
    channel = (body.get("channel") or {}).get("id")
    reply = ReplyTo(
        user_id=body["user"]["id"], channel_id=channel, response_url=body.get("response_url")
    )
    team = team_of(body)
    return team, reply, Origin(platform=PLATFORM, workspace_id=team, channel_id=channel)


def _command_reply(body: dict[str, Any]) -> ReplyTo:
    return ReplyTo(
        user_id=body["user_id"],
        channel_id=body.get("channel_id"),
        response_url=body.get("response_url"),
    )
