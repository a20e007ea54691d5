"""The Slack front end as an app component: Bolt mounted on our aiohttp server, or Socket Mode."""

from __future__ import annotations

import logging
from datetime import timedelta

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.http_retry.async_handler import AsyncRetryHandler

from adapters.slack.chat import SlackChat
from adapters.slack.dedupe import dedupe_middleware
from adapters.slack.directory import SlackDirectory
from adapters.slack.handlers import SlackHandlers
from adapters.slack.ids import PLATFORM
from adapters.slack.inbound import Refusal, check_signed
from adapters.slack.jobs import JobRunner
from adapters.slack.pacing import ChannelPacer
from adapters.slack.redaction import LIBRARY_LOG, redact_library_logs
from adapters.slack.request_ids import slack_request_ids
from adapters.slack.respond import Responder
from adapters.slack.roles import RoleResolver
from adapters.slack.settings import SlackSettings
from adapters.slack.socket_mode import connect_socket_mode
from adapters.slack.web_api import build_web_client
from adapters.web.refusals import RefusalLog
from core.clock import Clock
from core.executor import CommandExecutor
from core.i18n import Languages
from core.ports import ChatDelivery

log = logging.getLogger(__name__)


def bolt_request_of(body: bytes, request: web.Request) -> AsyncBoltRequest:
    """The Bolt request of a signed body (raises when the body cannot be parsed)."""
    return AsyncBoltRequest(
        body=body.decode("utf-8"),
        query=request.query_string,
        headers=dict(request.headers),
    )


class SlackFrontEnd:
    """Slash commands, buttons and the schedule modal in, Block Kit messages out.

    HTTP mode: one route (`settings.events_path`) on the shared web server carries commands,
    interactivity and events through Bolt (signature and 5-minute replay window checked by
    Bolt's request verification). Socket Mode when an app-level token is set.
    """

    name = "slack"
    platform: str | None = PLATFORM

    def __init__(
        self,
        settings: SlackSettings,
        executor: CommandExecutor,
        clock: Clock,
        public_url: str,
        default_timezone: str,
        *,
        retry_handlers: list[AsyncRetryHandler] | None = None,
        pacer: ChannelPacer | None = None,
        languages: Languages | None = None,
    ) -> None:
        self.settings = settings
        self.http = aiohttp.ClientSession()
        self.client = build_web_client(settings, self.http, retry_handlers)
        self.jobs = JobRunner(
            settings.work_concurrency,
            quiet=settings.work_quiet_seconds,
            max_defer=settings.work_max_defer_seconds,
        )
        self.slack_chat = SlackChat(
            self.client,
            clock,
            public_url,
            pacer or ChannelPacer(settings.channel_post_interval_seconds),
            languages,
        )
        self.chat: ChatDelivery | None = self.slack_chat
        roles = RoleResolver(
            self.client,
            settings.admins,
            settings.instructors,
            settings.members_usergroup,
            settings.directory_cache_seconds,
        )
        self.directory = SlackDirectory(
            self.client,
            roles,
            default_timezone,
            settings.directory_cache_seconds,
            executor.service.identify,
        )
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.signing_secret.get_secret_value(),
            process_before_response=True,
            name="dojobot",
            logger=LIBRARY_LOG,
        )
        dedupe_ttl = timedelta(seconds=settings.dedupe_seconds)
        self.bolt.middleware(slack_request_ids)
        self.bolt.middleware(dedupe_middleware(executor.service.accept_once, dedupe_ttl))
        self.handlers = SlackHandlers(
            executor,
            self.directory,
            Responder(self.slack_chat, self.http),
            self.client,
            self.jobs,
            clock,
            public_url,
            languages,
        )
        self.handlers.register(self.bolt)
        self._socket: AsyncSocketModeHandler | None = None
        self.refusals = RefusalLog(log)
        redact_library_logs()

    @property
    def socket_mode(self) -> bool:
        return self.settings.app_token is not None

    def mount(self, app: web.Application) -> None:
        """HTTP mode: POST `events_path` → Bolt (nothing to mount in Socket Mode)."""
        if not self.socket_mode:
            app.router.add_post(self.settings.events_path, self.handle_http)

    async def handle_http(self, request: web.Request) -> web.Response:
        """Refuse unsigned or unparseable requests (400/401), then Bolt's dispatch.

        The signature is checked over the raw bytes before any parsing (`inbound`), so
        garbage from anyone is a 4xx and one bounded log line, never a 500 with a traceback.
        """
        body = await request.read()
        secret = self.settings.signing_secret.get_secret_value()
        refusal = check_signed(secret, body, request.headers)
        if refusal is None:
            try:
                bolt_request = bolt_request_of(body, request)
            except Exception as error:  # a signed body Bolt cannot parse can never succeed
                refusal = Refusal(400, f"signed body not understood ({type(error).__name__})")
        if refusal is not None:
            self.refusals.refused(refusal.reason, f"from {request.remote}")
            return web.json_response({"error": "invalid request"}, status=refusal.status)
        return await to_aiohttp_response(await self.bolt.async_dispatch(bolt_request))

    async def start(self) -> None:
        """Socket Mode: connect (SocketModeRefused if Slack refuses the app-level token)."""
        if self.settings.app_token is not None:
            self._socket = await connect_socket_mode(
                self.bolt, self.settings.app_token.get_secret_value(), self.client
            )
            log.info("Slack front end connected in Socket Mode")

    async def stop(self) -> None:
        """Disconnect, finish every acknowledged request's work, release the HTTP session."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if not self.http.closed:
            await self.jobs.close()
            await self.http.close()
