"""Slack's member commands: `/link` and `/forget-me` (with its Confirm button).

- `/link` gives a one-time code to enter on Discord (`/link code:CODE`); `/link CODE` links
  this Slack account into the profile that issued CODE; `/link remove` unlinks.
- `/forget-me` answers with what will be deleted and a Confirm button carrying the
  confirmation code; admins add a member (`/forget-me @name`). Only the person who asked can
  confirm (the service checks the code was issued to the identity clicking).

Replies go to the Slack user who acted, from the request (never from `member.id`, which may
be another platform's id once linked).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.slack.commands import unescape
from adapters.slack.directory import SlackDirectory
from adapters.slack.ids import member_id, team_of
from adapters.slack.jobs import JobRunner
from adapters.slack.render_common import Block
from adapters.slack.render_members import (
    forget_confirm_message,
    forgotten_message,
    link_code_message,
    linked_message,
    unlinked_message,
)
from adapters.slack.render_outcome import error_message, failure_message
from adapters.slack.respond import ReplyTo
from adapters.slack.series_modal import Reply
from adapters.slack.words import t
from core.errors import DojoError, InvalidInput, NotFound
from core.failures import report_failure
from core.i18n import EnglishOnly, Languages, Translator
from core.model import Member
from core.service import SessionService

log = logging.getLogger(__name__)

LINK, FORGET_ME, REMINDERS = "/link", "/forget-me", "/reminders"
UNLINK_WORDS = frozenset({"remove", "unlink"})
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_QUALIFIED = re.compile(r"[a-z]+:\S+")


def forget_target(team_id: str, text: str) -> str | None:
    """Whom `/forget-me TEXT` forgets: None (the member asking), a mentioned Slack user, or
    a member id as /profile shows it (`discord:…`). InvalidInput for anything else."""
    typed = text.strip()
    if not typed:
        return None
    mention = _MENTION.fullmatch(typed)
    if mention:
        return member_id(team_id, mention.group(1))
    if _USER_ID.fullmatch(typed):
        return member_id(team_id, typed)
    if _QUALIFIED.fullmatch(typed):
        return typed
    raise InvalidInput(
        t("/forget-me takes nothing, or (admins) the member to forget."),
        t("Type /forget-me to be forgotten yourself, or /forget-me @name."),
    )


class MemberCommands:
    """Runs /link and /forget-me, and the Confirm button of /forget-me."""

    def __init__(
        self,
        service: SessionService,
        directory: SlackDirectory,
        jobs: JobRunner,
        reply: Reply,
        languages: Languages | None = None,
    ) -> None:
        self.languages: Languages = languages or EnglishOnly()
        self.service = service
        self.directory = directory
        self.jobs = jobs
        self.reply = reply

    async def on_command(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        self.jobs.spawn(self.run(body))

    async def on_confirm(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        action = (body.get("actions") or [{}])[0]
        if action.get("value"):
            self.jobs.spawn(self.confirm(body, str(action["value"])))

    async def run(self, body: dict[str, Any]) -> None:
        """The command's reply, refusals included, to the Slack user who typed it."""
        team = str(body.get("team_id") or "")
        to = ReplyTo(
            user_id=body["user_id"],
            channel_id=body.get("channel_id"),
            response_url=body.get("response_url"),
        )
        text = unescape(str(body.get("text") or "")).strip()
        locale: str | None = None
        try:
            member = await self.directory.member(team, body["user_id"])
            locale = member.locale
            tr = self.languages.translator(locale)
            if body["command"] == LINK:
                message = await self._link(member, text, tr)
            else:
                message = await self._forget_request(member, team, text, tr)
        except DojoError as error:
            message = error_message(error, self.languages.translator(locale))
        except Exception:
            ref = report_failure(log, "Slack member command")
            message = failure_message(ref, self.languages.translator(locale))
        await self.reply(to, *message)

    async def confirm(self, body: dict[str, Any], code: str) -> None:
        """Forget the member the confirmation code names, if the clicker asked for it."""
        user_id = str(body["user"]["id"])
        to = ReplyTo(
            user_id=user_id,
            channel_id=(body.get("channel") or {}).get("id"),
            response_url=body.get("response_url"),
        )
        locale: str | None = None
        try:
            member = await self.directory.member(team_of(body), user_id)
            locale = member.locale
            kept = await self.service.forget(member, code)
            own = not await self._still_known(member)
            message = forgotten_message(kept, own, self.languages.translator(locale))
        except DojoError as error:
            message = error_message(error, self.languages.translator(locale))
        except Exception:
            ref = report_failure(log, "Slack forget confirmation")
            message = failure_message(ref, self.languages.translator(locale))
        await self.reply(to, *message)

    async def _link(self, member: Member, text: str, tr: Translator) -> tuple[str, list[Block]]:
        if not text:
            return link_code_message(await self.service.link_code(member), tr)
        if text.lower() in UNLINK_WORDS:
            return unlinked_message(await self.service.unlink(member), tr)
        return linked_message(await self.service.link(member, text), tr)  # spaces are ignored

    async def _forget_request(
        self, member: Member, team: str, text: str, tr: Translator
    ) -> tuple[str, list[Block]]:
        words = text.split()
        if len(words) == 2 and words[0].lower() == "confirm":  # typed instead of clicked
            kept = await self.service.forget(member, words[1])
            return forgotten_message(kept, not await self._still_known(member), tr)
        target = forget_target(team, text)
        code = await self.service.forget_request(member, target)
        profile = await self.service.member_profile(member, code.member_id)
        return forget_confirm_message(code, profile, code.member_id == member.id, tr)

    async def _still_known(self, member: Member) -> bool:
        try:
            await self.service.profile(member)
        except NotFound:
            return False
        return True
