"""Every notice kind reaches Slack, and typed mention syntax reaches no field Slack parses.

Both over loopback: the real SlackChat and Bolt app talk to the fake Slack Web API, and the
whole JSON of every chat.postMessage / chat.update / response_url body is searched.
"""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.slack.commands import escape
from core.model import Origin, SessionFilter, TrainingSession
from core.notices import Notice, NoticeKind
from tests.adapters.slack.world import ANA, CHANNEL, START, SlackWorld
from tests.fakes.slack_api import TEAM
from tests.hostile import slack_live


def a_session() -> TrainingSession:
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id=f"slack:{TEAM}:U0SENSEI",
        instructor_name="Sensei",
        start_time=datetime(2026, 12, 3, 17, tzinfo=UTC),
        duration_minutes=60,
        origin=Origin(platform="slack", workspace_id=TEAM, channel_id=CHANNEL),
        created_at=START,
        updated_at=START,
    )


async def test_every_notice_kind_is_posted_and_sent_as_a_dm(world: SlackWorld) -> None:
    chat, s = world.slack.slack_chat, a_session()
    assert s.origin is not None
    for kind in NoticeKind:
        notice = Notice(kind=kind, session=s, text=f"{kind.value} of “Kata”")
        await chat.send_dm(f"slack:{TEAM}:{ANA}", notice)
        await chat.post_to_channel(s.origin, notice)
    dms = [c.args["text"] for c in world.api.dms_to(ANA)]
    posts = [c.args["text"] for c in world.api.channel_posts(CHANNEL)]
    expected = [f"{kind.value} of “Kata”" for kind in NoticeKind]
    assert dms == expected and posts == expected


EVIL = "U0EVIL"
TITLE = "<!channel> <!here> <@U0VICTIM> <!subteam^S0EVIL|@evil> <https://evil.example|belts>"
DESCRIPTION = "<!everyone> <#C0EVIL|general> [x](https://evil.example) &lt;!here&gt;"
REASON = "<!channel> gone, ask <@U0VICTIM> or <https://evil.example|here>"


async def test_typed_mentions_reach_no_outgoing_field_live(world: SlackWorld) -> None:
    api = world.api
    api.add_user(EVIL, "<!channel> Evil <@U0VICTIM>", "UTC")
    api.usergroups["S0SENSEIS"][1].append(EVIL)  # an instructor
    api.users[ANA].name = "<!here> Ana"
    typed = f'"{TITLE}" 2026-12-03 18:00 desc "{DESCRIPTION}"'
    await world.command("/schedule-session", escape(typed), EVIL)  # Slack escapes &, <, >
    [session] = await world.app.store.list_sessions(SessionFilter())
    assert session.title == TITLE and session.description == DESCRIPTION  # kept as typed
    await world.command("/rsvp", session.id, ANA)
    await world.command("/session", session.id, ANA)
    await world.command("/cancel-session", escape(f"{session.id} {REASON}"), EVIL)
    await world.settle()

    sent = [c for c in api.calls if c.method.startswith("chat.")]
    assert {"chat.postMessage", "chat.update"} <= {c.method for c in sent}
    assert api.dms_to(ANA) and len(api.responses) == 4
    assert any("&lt;!channel&gt;" in c.args["text"] for c in sent)  # shown, escaped
    # the instructor is mentioned on purpose on the card (`<@U0EVIL>`), nobody else
    live = slack_live([c.args for c in sent] + api.responses, users=frozenset({EVIL}))
    assert not live, live
