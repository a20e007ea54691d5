"""No-show marks on ZeroDB: a twin row left by a lost insert race (ZeroDB has no unique key)
reads as one mark, and waiving or appealing it reports the mark once, so the member and the
admins are told once and a count never sees it twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.zerodb.no_show_records import mark_row
from core.seat_marks import MarkKind, SeatMark
from tests.contract.test_session_store import make_session
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def test_a_twin_mark_is_waived_and_appealed_once(
    standin: tuple[ZeroDBStandIn, str],
) -> None:
    fake, base_url = standin
    store = await open_standin_store(base_url, fake)
    try:
        await store.add_session(make_session("s1"))
        mark = SeatMark(session_id="s1", member_id="t:ben", kind=MarkKind.NO_SHOW, created_at=T0)
        assert await store.add_seat_mark(mark)
        await store.tables.insert("dojobot_seat_marks", [mark_row(mark)])  # the race's twin
        assert len(await store.list_session_marks("s1")) == 1

        appealed = await store.appeal_seat_marks("s1", "t:ben", T0 + timedelta(hours=1))
        assert [m.kind for m in appealed] == [MarkKind.NO_SHOW]
        waived = await store.waive_seat_marks(
            "s1", "t:ben", "t:admin", T0 + timedelta(hours=2), T0 - timedelta(days=1)
        )
        assert [(m.kind, m.waived_by) for m in waived] == [(MarkKind.NO_SHOW, "t:admin")]
        (kept,) = await store.list_session_marks("s1")
        assert kept.waived_by == "t:admin" and kept.appealed_at is not None
    finally:
        await store.close()
