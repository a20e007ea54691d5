"""The RealtimeKit component: `POST /webhooks/realtimekit`, preset check, client shutdown."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
from aiohttp import web

from adapters.realtimekit import RealtimeKitRooms, RealtimeKitWebhooks, SignatureVerifier
from bot.components import Component, Wiring
from core.errors import DojoError
from core.ports import ChatDelivery
from core.room_events import RoomEvents

log = logging.getLogger(__name__)


class RealtimeKitComponent:
    """Receives RealtimeKit webhooks; checks the configured presets when it starts.

    A missing preset is a configuration error and stops the start; Cloudflare being down
    is only logged (rooms are retried by the clock, presets checked again at the first join).
    """

    name = "realtimekit"
    platform: str | None = None
    chat: ChatDelivery | None = None

    def __init__(self, wiring: Wiring) -> None:
        settings = wiring.settings.realtimekit
        if settings is None:
            raise ValueError("RealtimeKit webhooks need settings.realtimekit")
        self.rooms = wiring.rooms if isinstance(wiring.rooms, RealtimeKitRooms) else None
        self._http = httpx.AsyncClient(timeout=settings.timeout_seconds)
        verifier = SignatureVerifier(
            public_key_pem=settings.webhook_public_key,
            key_url=settings.webhook_key_url,
            http=self._http,
            clock=wiring.clock,
            refetch_after=timedelta(seconds=settings.key_refetch_seconds),
        )
        self.webhooks = RealtimeKitWebhooks(
            verifier, RoomEvents(wiring.service), wiring.store, wiring.clock
        )

    def mount(self, app: web.Application) -> None:
        self.webhooks.mount(app)

    async def start(self) -> None:
        if self.rooms is None:
            return
        try:
            await self.rooms.check_presets()
        except DojoError as error:
            status = getattr(error, "status", None)
            if status is None or status == 429 or status >= 500:
                log.warning("RealtimeKit presets not checked yet: %s", error.message)
                return
            raise

    async def stop(self) -> None:
        await self._http.aclose()  # the rooms are the composition root's to close


def build_realtimekit_webhooks(wiring: Wiring) -> Component:
    """The RealtimeKit component (configured when `settings.realtimekit` is set)."""
    return RealtimeKitComponent(wiring)
