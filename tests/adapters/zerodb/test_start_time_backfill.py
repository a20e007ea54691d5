"""Rows written before reminders and deliveries carried a start time get their session's when
the store opens (the ZeroDB counterpart of SQL migration 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.zerodb import open_zerodb_store
from core.model import DeliveryKey, ReminderKind
from tests.contract.test_session_store import make_session
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store, standin_settings

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = make_session().start_time
STAMP = "2026-12-01T09:00:00.000000Z"


async def test_legacy_rows_get_their_sessions_start_time(
    standin: tuple[ZeroDBStandIn, str],
) -> None:
    fake, base_url = standin
    old = await open_standin_store(base_url, fake)
    try:
        await old.add_session(make_session())
        due = "2026-12-02T08:00:00.000000Z"
        await old.tables.insert(
            "dojobot_reminders",
            [{"session_id": "s1", "kind": "1h", "due_at": due, "useful_until": due,
              "done_at": None}],
        )  # fmt: skip
        await old.tables.insert(
            "dojobot_deliveries",
            [{"session_id": "s1", "recipient_id": "m1", "kind": "24h", "claimed_at": None,
              "sent_at": STAMP}],
        )  # fmt: skip
    finally:
        await old.close()
    store = await open_zerodb_store(standin_settings(base_url, fake))
    try:
        (pending,) = await store.due_reminders(START, 10)
        assert (pending.kind, pending.start_time) == (ReminderKind.BEFORE_1H, START)
        sent = DeliveryKey(
            session_id="s1", recipient_id="m1", kind=ReminderKind.BEFORE_24H, start_time=START
        )
        assert await store.delivery_sent(sent)
        assert await store.claim_deliveries([sent], T0, timedelta(0)) == []
        assert await store.backfill_start_times() == 0  # done once
    finally:
        await store.close()
