"""Issue 11, item 3: capacity lowered from 200 to 20 while 200 RSVPs are queued on two `web`
processes. Every seat decision reads the capacity under the session's row lock, and a lower
capacity is refused while more members are going: never more going than the capacity.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.parse import unquote

from adapters.sql import SqlSessionStore
from core.model import RsvpStatus, SessionFilter
from tests.fakes.slack_api import FakeSlackApi, SlackSender, bench_user
from tests.reliability.conftest import CHANNEL, SENSEI, slack_env, web_processes
from tests.reliability.processes import running

WITHIN = 20.0
MEMBERS = 200
LOWER_TO = 20


async def test_lowering_capacity_during_an_rsvp_burst_never_overfills(
    tmp_path: Path, pg_url: str, pg_store: SqlSessionStore, slack_api: FakeSlackApi
) -> None:
    for n in range(MEMBERS):
        slack_api.add_user(bench_user(n), f"m{n}")
    processes = web_processes(tmp_path, slack_env(pg_url, slack_api))
    senders = [SlackSender(f"{p.url}/slack/events", slack_api) for p in processes]
    try:
        async with running(*processes):
            schedule = f'"Open mat" tomorrow 18:00 cap {MEMBERS}'
            await senders[0].command("/schedule-session", schedule, SENSEI)
            await slack_api.wait_for(lambda: len(slack_api.channel_posts(CHANNEL)) == 1, WITHIN)
            [session] = await pg_store.list_sessions(SessionFilter())
            ts = slack_api.channel_posts(CHANNEL)[0].result["ts"]
            replies = len(slack_api.responses)

            def rsvp(n: int) -> asyncio.Future[tuple[int, str]]:
                sender = senders[n % 2]
                return asyncio.ensure_future(
                    sender.click("dojo_rsvp_going", session.id, bench_user(n), CHANNEL, ts)
                )

            first_half = [rsvp(n) for n in range(MEMBERS // 2)]
            update_body = senders[1].command_body(
                "/update-session", f"{session.id} cap {LOWER_TO}", SENSEI, CHANNEL
            )
            update = asyncio.ensure_future(
                senders[1].post(update_body, senders[1].signed(update_body))
            )
            second_half = [rsvp(n) for n in range(MEMBERS // 2, MEMBERS)]
            answers = await asyncio.gather(*first_half, update, *second_half)
            assert {status for status, _ in answers} == {200}
            expected = replies + MEMBERS + 1
            await slack_api.wait_for(lambda: len(slack_api.responses) >= expected, WITHIN)
            for process in processes:
                assert not process.tracebacks(), process.log()
    finally:
        for sender in senders:
            await sender.close()

    stored = await pg_store.get_session(session.id)
    assert stored is not None and stored.capacity in (MEMBERS, LOWER_TO)
    going = await pg_store.list_rsvps(session.id, RsvpStatus.GOING)
    waiting = await pg_store.list_rsvps(session.id, RsvpStatus.WAITLISTED)
    assert len(going) <= stored.capacity  # the invariant
    assert len(going) + len(waiting) == MEMBERS
    assert sorted(r.position for r in going + waiting) == list(range(1, MEMBERS + 1))
    [reply] = [r for r in slack_api.responses if f"/respond/{r['_url']}" in unquote(update_body)]
    if stored.capacity == LOWER_TO:  # lowered while at most 20 were going: the rest wait
        assert len(going) == LOWER_TO
        assert max(r.position for r in going) < min(r.position for r in waiting)
    else:  # refused: it says how many are going and what to type
        assert len(going) == MEMBERS and not waiting
        refused = re.search(r"(\d+) members are going; capacity can.t go below \1", reply["text"])
        assert refused is not None and int(refused.group(1)) > LOWER_TO, reply["text"]
        assert f"/update-session {session.id} cap {refused.group(1)}" in reply["text"]
