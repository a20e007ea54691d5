"""`POST /webhooks/realtimekit`: verified, deduplicated, durable before it answers 2xx.

1. The `rtk-signature` must sign the raw body (else 401, nothing happens; not retried).
2. A delivery already processed (same `rtk-uuid`, or the same body: the uuid may change on
   redelivery) answers 200 at once.
3. The event is applied to the core (`RoomEvents`, idempotent itself), then the delivery is
   remembered in the store, then 200. Any failure answers 5xx, so RealtimeKit redelivers.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging

from aiohttp import web
from pydantic import ValidationError

from adapters.realtimekit.events import WebhookPayload, as_utc
from adapters.realtimekit.signature import KeyUnavailable, SignatureVerifier
from core.clock import Clock
from core.ports import SessionStore
from core.room_events import RoomEvents

log = logging.getLogger(__name__)

PATH = "/webhooks/realtimekit"
UPLOADED = "UPLOADED"


def delivery_ids(body: bytes, uuid: str | None) -> list[str]:
    """The dedupe keys of one delivery: its `rtk-uuid` (when sent) and its body's hash."""
    ids = [f"sha256:{hashlib.sha256(body).hexdigest()}"]
    return [f"rtk-uuid:{uuid.strip()}", *ids] if uuid and uuid.strip() else ids


class RealtimeKitWebhooks:
    """The aiohttp handler of RealtimeKit webhooks; deliveries are applied one at a time."""

    def __init__(
        self, verifier: SignatureVerifier, events: RoomEvents, store: SessionStore, clock: Clock
    ) -> None:
        self.verifier = verifier
        self.events = events
        self.store = store
        self.clock = clock
        self._serial = asyncio.Lock()

    def mount(self, app: web.Application) -> None:
        """Add `POST /webhooks/realtimekit`."""
        app.router.add_post(PATH, self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        """Verify, dedupe, apply, remember; see the module docstring for the statuses."""
        body = await request.read()
        try:
            signed = await self.verifier.verify(body, request.headers.get("rtk-signature"))
        except KeyUnavailable:
            return _reply(503, "signature key unavailable")
        if not signed:
            log.warning("RealtimeKit webhook with a missing or bad signature refused")
            return _reply(401, "invalid signature")
        try:
            payload = WebhookPayload.model_validate(json.loads(body))
        except (ValueError, ValidationError):
            log.warning("signed RealtimeKit webhook is not a payload we understand: %.500r", body)
            return _reply(400, "malformed payload")
        ids = delivery_ids(body, request.headers.get("rtk-uuid"))
        async with self._serial:
            try:
                for delivery_id in ids:
                    if await self.store.webhook_seen(delivery_id):
                        return _reply(200, "duplicate")
                await self.apply(payload)
                now = self.clock.now()
                for delivery_id in ids:
                    await self.store.remember_webhook(delivery_id, now)
            except Exception:
                log.exception("RealtimeKit webhook %s failed; asking for redelivery", payload.event)
                return _reply(500, "not recorded; please retry")
        return _reply(200, "ok")

    async def apply(self, payload: WebhookPayload) -> None:
        """The inbound translation table: one RealtimeKit event → one core call."""
        meeting, participant = payload.meeting, payload.participant
        now = self.clock.now()
        match payload.event:
            case "meeting.participantJoined" if meeting and participant:
                member_id = participant.custom_participant_id
                if member_id:
                    await self.events.participant_joined(
                        meeting.id,
                        member_id,
                        participant.user_display_name or member_id,
                        as_utc(participant.joined_at) or now,
                    )
            case "meeting.participantLeft" if meeting and participant:
                member_id = participant.custom_participant_id
                if member_id:
                    await self.events.participant_left(
                        meeting.id,
                        member_id,
                        participant.user_display_name or member_id,
                        as_utc(participant.left_at) or now,
                        as_utc(participant.joined_at),
                    )
            case "meeting.started" if meeting:
                await self.events.meeting_started(meeting.id, as_utc(meeting.started_at) or now)
            case "meeting.ended" if meeting:
                await self.events.meeting_ended(meeting.id, as_utc(meeting.ended_at) or now)
            case "recording.statusUpdate" if payload.recording:
                recording = payload.recording
                room_id = recording.meeting_id or (meeting.id if meeting else None)
                if recording.status == UPLOADED and recording.download_url and room_id:
                    await self.events.recording_ready(room_id, recording.download_url)
            case _:
                log.info("RealtimeKit webhook %s ignored", payload.event)


def _reply(status: int, message: str) -> web.Response:
    return web.json_response({"message": message}, status=status)
