"""dojobot's App Home tab and the /reminders modal: a member's reminder preferences.

`app_home_opened` (tab `home`) publishes the member's preferences (views.publish, to the
Slack user who opened it). `/reminders` opens the same elements in a modal. Each change of
an element (`block_actions` from either surface) is saved through the service at once and
the surface it came from is drawn again with what is now stored (views.publish for the Home
tab, views.update for the modal); a refused change is drawn with the reason on top.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.directory import SlackDirectory
from adapters.slack.ids import team_of
from adapters.slack.jobs import JobRunner
from adapters.slack.preferences_form import changed_preferences
from adapters.slack.render_outcome import error_message, failure_message, failure_text
from adapters.slack.render_preferences import failure_home, home_view, preferences_modal
from adapters.slack.respond import ReplyTo
from adapters.slack.series_modal import Reply
from adapters.slack.words import t
from core.errors import DojoError, InvalidInput
from core.failures import report_failure
from core.i18n import EnglishOnly, Languages, localize
from core.model import Member
from core.service import SessionService

log = logging.getLogger(__name__)


class AppHome:
    """Publishes the Home tab, opens the /reminders modal, saves each change made in them."""

    def __init__(
        self,
        service: SessionService,
        directory: SlackDirectory,
        client: AsyncWebClient,
        jobs: JobRunner,
        reply: Reply,
        languages: Languages | None = None,
    ) -> None:
        self.languages: Languages = languages or EnglishOnly()
        self.service = service
        self.directory = directory
        self.client = client
        self.jobs = jobs
        self.reply = reply

    # listeners (ack first) --------------------------------------------------------------
    async def on_opened(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """`app_home_opened`: publish the Home tab (the Messages tab needs nothing)."""
        await ack()
        event = body.get("event") or {}
        if event.get("tab") == "home" and event.get("user"):
            self.jobs.spawn(self.publish(str(body.get("team_id") or ""), str(event["user"])))

    async def on_command(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """`/reminders`: the modal, opened with the fresh trigger_id."""
        await ack()
        self.jobs.spawn(self.open_modal(body), urgent=True)

    async def on_change(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A preference changed on the Home tab or in the modal: save it, draw it again."""
        await ack()
        self.jobs.spawn(self.save(body))

    # work after the ack -----------------------------------------------------------------
    async def publish(self, team_id: str, user_id: str) -> None:
        """Publish `user_id`'s Home tab with their preferences as stored now."""
        tr = self.languages.translator(None)
        try:
            member = await self.directory.member(team_id, user_id)
            tr = self.languages.translator(member.locale)
            await self._draw(member, user_id, {}, None)
        except Exception:
            ref = report_failure(log, "Slack App Home")
            with suppress(Exception):  # Slack itself may be what failed
                await self.client.views_publish(
                    user_id=user_id, view=failure_home(failure_text(ref, tr), tr)
                )

    async def open_modal(self, body: dict[str, Any]) -> None:
        """views.open with the preferences; if that fails, say where else to find them."""
        to = ReplyTo(
            user_id=body["user_id"],
            channel_id=body.get("channel_id"),
            response_url=body.get("response_url"),
        )
        tr = self.languages.translator(None)
        try:
            member = await self.directory.member(str(body.get("team_id") or ""), body["user_id"])
            tr = self.languages.translator(member.locale)
            profile = await self.service.profile(member)
            classes = await self.service.list_series(member)
            defaults = self.service.reminder_defaults()
            view = preferences_modal(profile, member.timezone, None, classes, defaults, tr)
            await self.client.views_open(trigger_id=body["trigger_id"], view=view)
        except SlackApiError as error:
            log.warning("views.open failed: %s", error.response.get("error"))
            problem = InvalidInput(
                t("The reminder settings couldn't open in time."),
                t(
                    "Type /reminders again, or open dojobot's Home tab: the same settings are "
                    "there."
                ),
            )
            await self.reply(to, *error_message(problem, tr))
        except DojoError as error:
            await self.reply(to, *error_message(error, tr))
        except Exception:
            await self.reply(to, *failure_message(report_failure(log, "Slack /reminders"), tr))

    async def save(self, body: dict[str, Any]) -> None:
        """Apply the change to the stored preferences and draw the surface again (with the
        reason on top when the change was refused)."""
        user_id = str(body["user"]["id"])
        try:
            member = await self.directory.member(team_of(body), user_id)
        except Exception:
            report_failure(log, "Slack reminder preferences")
            return
        problem: str | None = None
        try:
            profile = await self.service.profile(member)
            action = (body.get("actions") or [{}])[0]
            classes = {s.root_id for s in await self.service.list_series(member)}
            defaults = self.service.reminder_defaults()
            state = ((body.get("view") or {}).get("state") or {}).get("values")
            wanted = changed_preferences(
                profile.preferences, action, classes, defaults, state if state else None
            )
            await self.service.set_reminder_preferences(member, wanted)
        except DojoError as error:
            problem = localize(error.user_text(), self.languages.translator(member.locale))
        except Exception:
            ref = report_failure(log, "Slack reminder preferences")
            problem = failure_text(ref, self.languages.translator(member.locale))
        try:
            await self._draw(member, user_id, body.get("view") or {}, problem)
        except Exception:
            report_failure(log, "Slack reminder preferences")

    async def _draw(
        self, member: Member, user_id: str, view: dict[str, Any], problem: str | None
    ) -> None:
        """The modal `view` came from again (views.update), else the Home tab (views.publish)."""
        profile = await self.service.profile(member)
        classes = await self.service.list_series(member)
        defaults = self.service.reminder_defaults()
        tr = self.languages.translator(member.locale)
        if view.get("type") == "modal" and view.get("id"):
            modal = preferences_modal(profile, member.timezone, problem, classes, defaults, tr)
            await self.client.views_update(view_id=str(view["id"]), view=modal)
        else:
            home = home_view(profile, member.timezone, problem, classes, defaults, tr)
            await self.client.views_publish(user_id=user_id, view=home)
