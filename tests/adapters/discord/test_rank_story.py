"""Rank progress on Discord, through the fake Discord API and the real discord.py client:
`/progress` (members: their own), `/promote` with the ladder's ranks offered as you type (a
member is refused; the promoted member gets one congratulation by DM), an admin's
`/promotion-fix` and `/promotion-remove`. Every answer goes only to who typed it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.discord.ids import member_id
from core.ranks import RankLadder, RankStep
from core.training_ledger import LedgerEntry
from tests.adapters.discord.conftest import (
    Rig,
    RigFactory,
    known_members,
    quick_fake,
    schedule_kata,
)
from tests.adapters.discord.harness import (
    ADMIN_ROLE,
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    is_ephemeral,
    message_text,
    text_of,
)
from tests.fakes.discord_api import Person, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
BOSS = Person(509, "boss", [ADMIN_ROLE], permissions=8)
ANA = Person(602, "ana", [MEMBER_ROLE])
BEN = Person(603, "ben", [MEMBER_ROLE])
LADDER = RankLadder(steps=(RankStep("White", min_classes=1), RankStep("Orange belt", 3)))

fake = pytest.fixture(quick_fake)


async def ranked_rig(make_rig: RigFactory) -> Rig:
    rig: Rig = await make_rig(service_options={"rank_ladder": LADDER})
    known_members(rig, SENSEI, BOSS, ANA, BEN)
    session = await schedule_kata(rig, SENSEI)
    rig.clock.set(session.start_time + timedelta(hours=2))
    ana = member_id(ANA.user_id)
    await rig.store.save_ledger(
        [
            LedgerEntry(
                session_id=session.id,
                member_id=ana,
                member_name="ana",
                title=session.title,
                instructor_id=session.instructor_id,
                starts_at=session.start_time,
                session_seconds=3600,
                seconds_present=3600,
                attended=True,
                recorded_at=session.start_time + timedelta(hours=1),
            )
        ]
    )
    return rig


async def test_progress_promote_fix_and_remove(make_rig: RigFactory) -> None:
    rig = await ranked_rig(make_rig)
    mine = await rig.gateway.interact(slash_command("progress", ANA, GUILD, CHANNEL))
    assert is_ephemeral(mine) and "1/1 classes toward White" in text_of(mine), text_of(mine)
    theirs = await rig.gateway.interact(slash_command("progress", BEN, GUILD, CHANNEL, member=ANA))
    assert "Only instructors and admins" in text_of(theirs), text_of(theirs)
    refused = await rig.gateway.interact(
        slash_command("promote", ANA, GUILD, CHANNEL, member=ANA, rank="White")
    )
    assert "Only instructors and admins can record" in text_of(refused), text_of(refused)

    typed = await rig.gateway.interact(
        slash_command("promote", SENSEI, GUILD, CHANNEL, focused="rank", member=ANA, rank="or")
    )
    assert [c["value"] for c in typed["data"]["choices"]] == ["Orange belt"]
    promoted = await rig.gateway.interact(
        slash_command("promote", SENSEI, GUILD, CHANNEL, member=ANA, rank="White")
    )
    assert is_ephemeral(promoted), text_of(promoted)
    assert "promoted to White on 2026-12-03" in text_of(promoted), text_of(promoted)
    told = [m for m in rig.fake.dms_to(ANA.user_id) if "Congratulations" in message_text(m)]
    assert len(told) == 1

    fixed = await rig.gateway.interact(
        slash_command(
            "promotion-fix", BOSS, GUILD, CHANNEL, member=ANA, rank="Orange belt", date="2026-12-02"
        )
    )
    assert "now Orange belt on 2026-12-02" in text_of(fixed), text_of(fixed)
    at_top = await rig.gateway.interact(
        slash_command("progress", SENSEI, GUILD, CHANNEL, member=ANA)
    )
    assert "At Orange belt, the top rank" in text_of(at_top), text_of(at_top)
    removed = await rig.gateway.interact(
        slash_command("promotion-remove", BOSS, GUILD, CHANNEL, member=ANA)
    )
    assert "Removed" in text_of(removed), text_of(removed)
    assert await rig.store.list_promotions([member_id(ANA.user_id)]) == []
