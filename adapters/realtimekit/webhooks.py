"""`POST /webhooks/realtimekit`: verified, deduplicated, durable before it answers 2xx.

1. The `rtk-signature` must sign the raw body (else 401, nothing happens; not retried).
   A signed body that can never apply (not JSON, wrong types, times outside 2000-2199,
   over 256 KiB) is 400/413/422, so RealtimeKit stops retrying it. Refusals are logged as
   one rate-limited line, never a traceback.
2. A delivery already processed (same `rtk-uuid`, or the same body: the uuid may change on
   redelivery) answers 200 at once.
3. The delivery is claimed in the store (`claim_once`, atomic across processes) for a lease:
   a process that does not win the claim does nothing and answers 503, so RealtimeKit asks
   again later (by then it is remembered, or the claim of a process that crashed mid-way has
   expired and the retry applies it).
4. The winner applies the event to the core (`RoomEvents`: idempotent, its one-time posts
   decided by the store), then the delivery is remembered in the store, then 200. Any
   failure releases the claim and answers 5xx, so RealtimeKit redelivers.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import timedelta

from aiohttp import web

from adapters.realtimekit.events import PayloadRefused, WebhookPayload, as_utc, parse_payload
from adapters.realtimekit.signature import KeyUnavailable, SignatureVerifier
from adapters.web.refusals import RefusalLog
from core import log_context
from core.clock import Clock
from core.errors import InvalidInput
from core.ports import SessionStore
from core.room_events import RoomEvents

log = logging.getLogger(__name__)

PATH = "/webhooks/realtimekit"
UPLOADED = "UPLOADED"
APPLY_LEASE = timedelta(minutes=2)
"""How long a claimed delivery is reserved for the process applying it."""


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
        self.refusals = RefusalLog(log)

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
            self.refusals.refused("RealtimeKit webhook with a bad signature", f"{request.remote}")
            return _reply(401, "invalid signature")
        try:
            payload = parse_payload(body)
        except PayloadRefused as refused:  # can never succeed: 4xx, so it is not redelivered
            self.refusals.refused(f"signed RealtimeKit webhook: {refused.reason}", refused.detail)
            return _reply(refused.status, refused.reason)
        ids = delivery_ids(body, request.headers.get("rtk-uuid"))
        log_context.set_delivery_id(log_context.sane_id(ids[0][:64]))  # its log lines' id
        claims: list[str] = []
        async with self._serial:
            try:
                for delivery_id in ids:
                    if await self.store.webhook_seen(delivery_id):
                        return _reply(200, "duplicate")
                for delivery_id in ids:
                    claim = f"rtk-apply:{delivery_id}"
                    if not await self.store.claim_once(claim, self.clock.now(), APPLY_LEASE):
                        log.info("RealtimeKit %s is being applied elsewhere", payload.event)
                        await self._release(claims)
                        return _reply(503, "being processed; please retry")
                    claims.append(claim)
                await self.apply(payload)
                now = self.clock.now()
                for delivery_id in ids:
                    await self.store.remember_webhook(delivery_id, now)
            except (InvalidInput, OverflowError) as error:  # the values can never apply
                self.refusals.refused(f"RealtimeKit {payload.event} not applicable", repr(error))
                return _reply(422, "values out of range")
            except Exception:
                log.exception("RealtimeKit webhook %s failed; asking for redelivery", payload.event)
                await self._release(claims)
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

    async def _release(self, claims: list[str]) -> None:
        """Give up our claims so the redelivery is applied (a failure here: the lease ends)."""
        for claim in claims:
            try:
                await self.store.release_once(claim)
            except Exception:
                log.warning("claim %s not released; it expires after the lease", claim)


def _reply(status: int, message: str) -> web.Response:
    return web.json_response({"message": message}, status=status)
