"""The /schedule-class modal's listeners: open the form, preview, create.

`/schedule-class` with no text opens the form (default zone: the member's Slack zone).
Submitting it validates the fields (errors under each), asks the core for a preview
(`preview_series`: nothing stored) and pushes the preview view within Slack's 3 s ack.
Submitting the preview closes the modal and creates the class as a tracked job; the card is
posted to the channel the modal was opened from and the member gets the usual reply.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.commands import slack_wording
from adapters.slack.directory import SlackDirectory
from adapters.slack.ids import PLATFORM, team_of
from adapters.slack.jobs import JobRunner
from adapters.slack.render_common import Block
from adapters.slack.render_outcome import error_message, failure_message, failure_text
from adapters.slack.render_series_modal import (
    preview_metadata,
    read_preview_metadata,
    series_form,
    series_preview,
)
from adapters.slack.respond import ReplyTo
from adapters.slack.schedule_form import submission_channel
from adapters.slack.series_form import blame, read_series_form
from adapters.slack.words import say, t
from core.clock import Clock
from core.commands import Command
from core.errors import DojoError, InvalidInput
from core.executor import CommandExecutor
from core.failures import report_failure
from core.grammar import USAGE
from core.i18n import EnglishOnly, Languages, Translator, localize
from core.model import Member, Origin

log = logging.getLogger(__name__)

PREVIEW_WITHIN = 2.0
"""Seconds the preview may take: Slack drops a submission not answered within 3 s."""

Run = Callable[[str, ReplyTo, Callable[[Member], Command], Origin], Coroutine[Any, Any, None]]
Reply = Callable[[ReplyTo, str, list[Block]], Awaitable[None]]


class SeriesModal:
    """Opens the weekly-class form, answers its submission with a preview, and creates."""

    def __init__(
        self,
        executor: CommandExecutor,
        directory: SlackDirectory,
        client: AsyncWebClient,
        jobs: JobRunner,
        clock: Clock,
        run: Run,
        reply: Reply,
        languages: Languages | None = None,
    ) -> None:
        self.languages: Languages = languages or EnglishOnly()
        self.executor = executor
        self.directory = directory
        self.client = client
        self.jobs = jobs
        self.clock = clock
        self.run = run
        self.reply = reply

    async def open(self, body: dict[str, Any]) -> None:
        """views.open with the fresh trigger_id; if it expired, say how to type it inline."""
        to = ReplyTo(
            user_id=body["user_id"],
            channel_id=body.get("channel_id"),
            response_url=body.get("response_url"),
        )
        tr = self.languages.translator(None)
        try:
            member = await self.directory.member(str(body.get("team_id") or ""), body["user_id"])
            tr = self.languages.translator(member.locale)
            view = series_form(body.get("channel_id"), member.timezone, tr)
            await self.client.views_open(trigger_id=body["trigger_id"], view=view)
        except SlackApiError as error:
            log.warning("views.open failed: %s", error.response.get("error"))
            problem = InvalidInput(t("The form couldn't open in time."), USAGE["schedule-class"])
            await self.reply(to, *error_message(problem, tr))
        except Exception:
            ref = report_failure(log, "Slack class form")
            await self.reply(to, *failure_message(ref, tr))

    async def on_form_submitted(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Field errors, or the preview pushed over the form (its Back returns to it)."""
        view = body["view"]
        deadline = asyncio.get_running_loop().time() + PREVIEW_WITHIN  # one budget for both
        tr = await self._translator(body, deadline)
        try:
            command, errors = read_series_form(view, self.clock.now(), tr)
        except Exception:
            ref = report_failure(log, "Slack class form")
            await ack(response_action="errors", errors={"title": failure_text(ref, tr)})
            return
        if command is None:
            await ack(response_action="errors", errors=errors)
            return
        try:
            async with asyncio.timeout_at(deadline):
                member = await self.directory.member(team_of(body), body["user"]["id"])
                plan = await self.executor.service.preview_series(member, command)
        except InvalidInput as error:
            await ack(response_action="errors", errors=blame(error, command, tr))
            return
        except DojoError as error:  # not allowed to schedule, for one
            await ack(response_action="errors", errors={"title": _said(error, tr)})
            return
        except TimeoutError:
            slow = say(t("That took too long to check; press Preview again."), tr)
            await ack(response_action="errors", errors={"title": slow})
            return
        except Exception:
            ref = report_failure(log, "Slack class form")
            await ack(response_action="errors", errors={"title": failure_text(ref, tr)})
            return
        try:
            metadata = preview_metadata(submission_channel(view), command)
        except InvalidInput as error:
            problem = localize(error.message, tr)
            await ack(response_action="errors", errors={"description": problem})
            return
        preview = series_preview(plan, member.timezone, metadata, tr)
        await ack(response_action="push", view=preview)

    async def on_create(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Close the whole modal, then create the class and reply (refusals included)."""
        await ack(response_action="clear")
        team, user = team_of(body), body["user"]["id"]
        try:
            channel, command = read_preview_metadata(body["view"])
        except ValueError:
            ref = report_failure(log, "Slack class preview")
            tr = await self._translator(body)
            await self.reply(ReplyTo(user_id=user), *failure_message(ref, tr))
            return
        origin = Origin(platform=PLATFORM, workspace_id=team, channel_id=channel)
        to = ReplyTo(user_id=user, channel_id=channel)
        self.jobs.spawn(self.run(team, to, lambda member: command, origin))

    async def _translator(self, body: dict[str, Any], deadline: float | None = None) -> Translator:
        """The member's language (the association's when they can't be looked up by
        `deadline`, the event loop's time; by default within the preview's budget)."""
        if deadline is None:
            deadline = asyncio.get_running_loop().time() + PREVIEW_WITHIN
        try:
            async with asyncio.timeout_at(deadline):
                member = await self.directory.member(team_of(body), body["user"]["id"])
        except Exception:
            return self.languages.translator(None)
        return self.languages.translator(member.locale)


def _said(error: DojoError, tr: Translator) -> str:
    return slack_wording(localize(error.user_text(), tr).replace("\n", " "))
