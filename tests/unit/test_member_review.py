"""Member rules found in review (issue 15): `/forget-me confirm` forgets only the one typing
it, a refused confirmation stays usable, and a link code joins an account of another
platform only (two accounts of one platform are two people)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.commands import ScheduleSession
from core.errors import InvalidInput, InvalidState, PermissionDenied
from core.grammar import parse_command
from core.member_commands import MemberCommand
from core.member_merge import without_identity
from core.member_outcomes import MemberOutcome, run_member_command
from core.members import FORGOTTEN_NAME, PlatformFacts
from core.model import Member, Role
from core.telemetry import platform_of
from tests.unit.conftest import ORIGIN, World

ANA = PlatformFacts(member_id="slack:T1:U1", display_name="Ana")
BEN = PlatformFacts(member_id="slack:T1:U2", display_name="Ben")
BOSS = PlatformFacts(member_id="slack:T1:U9", display_name="Boss")
ANA_DISCORD = PlatformFacts(member_id="discord:555", display_name="ana_s")


async def typed(world: World, actor: Member, line: str) -> MemberOutcome:
    command = parse_command(line, world.now, actor.timezone)
    assert isinstance(command, MemberCommand)
    return await run_member_command(world.service, actor, command)


async def test_forget_me_confirm_never_forgets_the_member_an_admin_asked_about(
    world: World,
) -> None:
    boss = await world.service.identify(BOSS, Role.ADMIN)
    ben = await world.service.identify(BEN, Role.MEMBER)
    asked = await typed(world, boss, f"/forget {ben.id}")
    assert asked.code is not None and asked.code.member_id == ben.id
    with pytest.raises(InvalidInput, match="unknown, used or expired") as refused:
        await typed(world, boss, f"/forget-me confirm {asked.code.code}")
    assert "/forget" in (refused.value.hint or "")
    assert await world.store.get_profile(ben.id) is not None  # Ben is still there
    assert await world.store.get_profile(boss.id) is not None
    done = await typed(world, boss, f"/forget confirm {asked.code.code}")  # still usable
    assert done.action == "forgotten"
    assert await world.store.get_profile(ben.id) is None


async def test_a_confirmation_refused_for_teaching_can_be_used_once_the_classes_are_canceled(
    world: World,
) -> None:
    ana = await world.service.identify(ANA, Role.INSTRUCTOR)
    asked = await world.service.forget_request(ana)
    session = await world.service.schedule(
        ana, ScheduleSession(title="Kata", start_time=world.now + timedelta(days=2)), ORIGIN
    )
    with pytest.raises(InvalidState, match="still teaches") as refused:
        await world.service.forget(ana, asked.code)
    assert "then try again" in (refused.value.hint or "")
    await world.service.cancel(ana, session.id)
    assert await world.service.forget(ana, asked.code) == 0  # the same code, as told
    assert await world.store.get_profile(ana.id) is None


async def test_a_link_code_is_refused_on_an_account_of_the_same_platform(world: World) -> None:
    ana = await world.service.identify(ANA, Role.MEMBER)
    ben = await world.service.identify(BEN, Role.MEMBER)
    code = await world.service.link_code(ana)
    with pytest.raises(InvalidInput, match="already has a slack account") as refused:
        await world.service.link(ben, code.code)
    assert "other platform" in (refused.value.hint or "")
    assert (await world.service.profile(ana)).identities == [ana.id]
    assert (await world.service.profile(ben)).identities == [ben.id]
    on_discord = await world.service.identify(ANA_DISCORD, Role.MEMBER)
    await world.service.link(on_discord, code.code)  # the code still works where it should
    assert (await world.service.profile(ana)).identities == [ana.id, "discord:555"]


async def linked_in(world: World) -> tuple[Member, Member]:
    """Ana on Slack with a Discord account linked into her profile: (on Slack, on Discord)."""
    ana = await world.service.identify(ANA, Role.MEMBER)
    code = await world.service.link_code(ana)
    await world.service.link(await world.service.identify(ANA_DISCORD, Role.MEMBER), code.code)
    return ana, await world.service.identify(ANA_DISCORD, Role.MEMBER)


async def test_an_account_unlinked_from_a_profile_can_no_longer_forget_it(world: World) -> None:
    ana, intruder = await linked_in(world)
    asked = await world.service.forget_request(intruder)  # while still linked
    assert asked.member_id == ana.id
    await world.service.unlink(ana)  # Ana removes the account she did not recognise
    intruder = await world.service.identify(ANA_DISCORD, Role.MEMBER)
    with pytest.raises(PermissionDenied) as refused:
        await world.service.forget(intruder, asked.code)
    assert "/forget-me" in (refused.value.hint or "")
    assert await world.store.get_profile(ana.id) is not None


async def test_an_account_unlinked_from_a_profile_can_no_longer_link_others_into_it(
    world: World,
) -> None:
    ana, intruder = await linked_in(world)
    code = await world.service.link_code(intruder)  # while still linked: into Ana's profile
    await world.service.unlink(ana)
    other = await world.service.identify(
        PlatformFacts(member_id="terminal:zed", display_name="zed"), Role.MEMBER
    )
    with pytest.raises(InvalidInput, match="unknown, used or expired") as refused:
        await world.service.link(other, code.code)
    assert "/link" in (refused.value.hint or "")
    assert (await world.service.profile(ana)).identities == [ana.id]


async def test_the_platform_a_member_chooses_is_the_one_reminders_go_to(world: World) -> None:
    """`set_preferred_platform` and `MemberProfile.address` read an id's platform alike."""
    ana = await world.service.identify(ANA, Role.MEMBER)
    code = await world.service.link_code(ana)
    odd = await world.service.identify(
        PlatformFacts(member_id="web2:ana", display_name="a"), Role.MEMBER
    )
    await world.service.link(odd, code.code)
    linked = await world.service.profile(ana)
    (chosen,) = {platform_of(i) for i in linked.identities} - {"slack"}
    profile = await world.service.set_preferred_platform(ana, chosen)
    assert profile.address() == "web2:ana"
    assert without_identity(profile, "web2:ana", world.now).preferred_platform is None


async def test_a_room_leave_after_forget_me_brings_no_name_back(world: World) -> None:
    session = await world.schedule(in_=timedelta(minutes=5))
    ana = await world.service.identify(ANA, Role.MEMBER)
    joined = world.now
    await world.service.entered_room(session, ana.id, "Ana", joined)
    asked = await world.service.forget_request(ana)
    await world.service.forget(ana, asked.code)
    world.clock.advance(timedelta(minutes=30))  # the room then says she left
    await world.service.left_room(session, ana.id, "Ana", world.now, joined_at=joined)
    stays = await world.store.list_attendance(session.id)
    assert [(s.member_name, s.left_at) for s in stays] == [(FORGOTTEN_NAME, world.now)]
    assert all(s.member_id != ana.id for s in stays)
