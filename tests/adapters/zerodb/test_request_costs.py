"""Batch methods cost a bounded number of requests, not one per item (no N+1)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.zerodb.dialect import resolve_dialect
from adapters.zerodb.store import ID_CHUNK
from core.model import DeliveryKey, ReminderKind, RsvpStatus
from tests.contract.test_session_store import make_session
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def test_batch_methods_use_few_requests() -> None:
    fake = ZeroDBStandIn(dialect=resolve_dialect("python-sdk"))  # batch inserts
    store = await open_standin_store(await fake.start(), fake)
    try:
        ids = [f"s{n:03d}" for n in range(ID_CHUNK + 50)]
        for session_id in ids:
            await store.add_session(make_session(session_id))

        async def cost(call: Awaitable[Any]) -> int:
            before = store.tables.requests
            await call
            return store.tables.requests - before

        assert await cost(store.get_sessions(ids)) == 2
        assert await cost(store.list_rsvps_of_sessions(ids)) == 2
        assert await cost(store.count_rsvps_of_sessions(ids, RsvpStatus.GOING)) == 2
        keys = [
            DeliveryKey(session_id=i, recipient_id=m, kind=ReminderKind.BEFORE_1H, start_time=T0)
            for i in ids[:3]
            for m in ("m1", "m2", "channel")
        ]
        # existence check, read, one batch insert, read-back
        assert await cost(store.claim_deliveries(keys, T0, timedelta(minutes=5))) == 4
        assert await cost(store.mark_deliveries_sent(keys, T0)) == 3
        assert all([await store.delivery_sent(k) for k in keys])
    finally:
        await store.close()
        await fake.close()
